"""Indonesian formats, but dates are entered day/month/year only.

Django's own `id` formats also accept the US "%m/%d/%Y", so "08/09/2026" could be read
as 9 August; at a counter that silently swaps day and month.
"""

from django.conf.locale.id.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H.%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
