"""The idle timeout at the counter: typing keeps the session, an idle page warns
before it lapses and can keep it, and a session left idle still ends."""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The notice shows a third of the idle time before the end (two minutes on the
# real 30): long enough here to be seen and clicked.
IDLE_SECONDS = 8


@pytest.fixture
def short_idle(settings):
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS


def _type_past_the_idle_timeout(field) -> None:
    for _ in range(IDLE_SECONDS + 4):
        field.press_sequentially("ab")
        time.sleep(1)


def test_typing_in_a_form_keeps_the_session_past_the_idle_timeout(
    live_server, login, short_idle, operator_a
):
    page = login(operator_a)
    page.goto(f"{live_server.url}/registry/keluarga/baru/")

    _type_past_the_idle_timeout(page.locator("main [name=address]"))
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/registry/keluarga/*/anggota/baru/")


def test_an_idle_page_warns_before_the_session_lapses_and_can_keep_it(
    live_server, login, short_idle, operator_a
):
    page = login(operator_a)
    page.goto(f"{live_server.url}/registry/sktm/")

    page.locator("#session-stay").wait_for(state="visible")
    with page.expect_response("**/sesi/") as pinged:
        page.click("#session-stay")
    assert pinged.value.status == 204
    # Past the moment the session would have lapsed without the click (the notice
    # came with at most a third of it left), two seconds before the kept one does:
    # the suite runs beside other browser tests.
    time.sleep(IDLE_SECONDS - 2)
    page.goto(f"{live_server.url}/registry/sktm/")

    assert "/masuk/" not in page.url


@pytest.mark.parametrize(
    "path",
    ["/admin/puskesos/holiday/add/", "/admin/"],
    ids=["admin-form", "admin-dashboard"],
)
def test_an_idle_admin_page_warns_too_and_can_keep_the_session(
    live_server, login, short_idle, supervisor, path
):
    """The same notice and script as on our pages (the test above follows the kept
    session past the timeout); the admin's form pages and its dashboard come from
    different Unfold templates."""
    page = login(supervisor)
    page.goto(f"{live_server.url}{path}")

    page.locator("#session-stay").wait_for(state="visible")
    with page.expect_response("**/sesi/") as pinged:
        page.click("#session-stay")

    assert pinged.value.status == 204
    page.locator("#session-warning").wait_for(state="hidden")


def test_a_session_left_idle_ends_and_the_page_says_so(
    live_server, login, short_idle, operator_a
):
    page = login(operator_a)
    page.goto(f"{live_server.url}/registry/sktm/")

    page.get_by_text("Sesi Anda sudah berakhir").wait_for(
        state="visible", timeout=(IDLE_SECONDS + 3) * 1000
    )
    time.sleep(1.5)  # the page says so a second early, to be on the safe side
    page.goto(f"{live_server.url}/registry/sktm/")

    assert "/masuk/" in page.url


def test_typing_in_the_admin_keeps_the_session_too(
    live_server, login, short_idle, supervisor
):
    page = login(supervisor)
    page.goto(f"{live_server.url}/admin/puskesos/holiday/add/")

    _type_past_the_idle_timeout(page.locator("[name=name]"))
    page.goto(f"{live_server.url}/admin/")

    assert "/masuk/" not in page.url
    assert "/login/" not in page.url
