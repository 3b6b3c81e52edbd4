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


# The parts of each library a supervisor or admin can reach; the rest is not
# installed (Unfold's other contrib apps), not routed (the OAuth toolkit's own pages,
# config/urls.py) or speaks to API clients (its token validator's error texts).
LIBRARY_PARTS = {
    "unfold": {
        "leave_out": [
            "contrib/constance",
            "contrib/guardian",
            "contrib/hijack",
            "contrib/inlines",
            "contrib/location_field",
            "contrib/reversion",
            "contrib/reversion_compare",
            "contrib/simple_history",
            "templates/unfold_crispy",
        ]
    },
    "django_celery_beat": {"leave_out": ["tests"]},
    "django_celery_results": {"leave_out": []},
    "axes": {"leave_out": ["tests"]},
    "oauth2_provider": {"leave_out": ["templates", "oauth2_validators.py"]},
}


def _messages_of(package: str, leave_out: list[str], workdir: Path):
    """The library's translatable strings, as makemessages finds them."""
    import importlib
    import os
    import shutil

    from django.core.management import call_command

    source = Path(importlib.import_module(package).__file__).parent
    copy = workdir / package
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "*.pyc"))
    for part in leave_out:
        target = copy / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["id"], verbosity=0)
    finally:
        os.chdir(here)
    with (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return [m for m in read_po(fh) if m.id]


@pytest.mark.parametrize("package", sorted(LIBRARY_PARTS))
def test_every_string_of_the_admins_libraries_has_indonesian(package, tmp_path):
    from django.utils import translation

    with LIBRARY_CATALOGUE.open("rb") as fh:
        ours = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh)}
    missing = []
    with translation.override("id"):
        for message in _messages_of(
            package, LIBRARY_PARTS[package]["leave_out"], tmp_path
        ):
            singular = message.id if isinstance(message.id, str) else message.id[0]
            if message.context:
                shown = translation.pgettext(message.context, singular)
            else:
                shown = translation.gettext(singular)
            # Some words are the same in both languages (Manual, Worker, token).
            if shown == singular and singular not in ours:
                missing.append(singular)

    assert missing == []
