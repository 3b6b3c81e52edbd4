from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OdgjConfig(AppConfig):
    name = "odgj"
    verbose_name = _("Perekaman ODGJ")
