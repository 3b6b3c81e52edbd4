"""The admin speaks Indonesian in its libraries' parts too: the sidebar's app and
model names and Unfold's own buttons (supervisors were reading "Celery Results",
"Periodic tasks", "Toggle sidebar")."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from tests.pages import opened, visible

pytestmark = pytest.mark.django_db

LIBRARY_CATALOGUE = (
    Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
)
# Named without gettext by their libraries (core/library_labels.py).
UNTRANSLATABLE = {
    "Django OAuth Toolkit",
    "Otp_Totp",
    "Pghistory",
    "Axes",
    "Access tokens",
    "Refresh tokens",
    "Id tokens",
    "Grants",
    "Applications",
    "TOTP devices",
    "Events",
}


def _english_labels() -> set[str]:
    with LIBRARY_CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    ids = {str(m.id).lower() for m in catalogue if m.id and m.string}
    return ids | {label.lower() for label in UNTRANSLATABLE}


@pytest.mark.parametrize("who", ["supervisor", "admin_user"])
def test_the_admin_names_library_apps_and_buttons_in_indonesian(client, request, who):
    response = opened(client, request.getfixturevalue(who), "/admin/")

    english = sorted(
        t for t in visible(response.content.decode()) if t.lower() in _english_labels()
    )

    assert english == []
