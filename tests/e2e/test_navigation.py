"""The menu bar on the screens the counters have: one line from tablet width up,
sections open from menus, the phone's bar folds behind a button."""

from __future__ import annotations

import pytest

from tests.factories.registry import left_dtks, person, reported_move_in
from tests.pages import record_pages, with_one_of_each

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

_BAR_ON_ONE_LINE_PX = 64


def _bar_height(page) -> float:
    return page.locator("nav.navbar").bounding_box()["height"]


def _overflows_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1024, 1280, 1366])
@pytest.mark.parametrize("who", ["operator_a", "supervisor"])
def test_the_menu_bar_is_one_line_and_the_page_does_not_overflow(
    live_server, login, page, request, who, width
):
    page.set_viewport_size({"width": width, "height": 800})
    login(request.getfixturevalue(who))

    for url in ("/", "/puskesos/", "/registry/sktm/"):
        page.goto(f"{live_server.url}{url}")
        assert _bar_height(page) <= _BAR_ON_ONE_LINE_PX, url
        assert not _overflows_sideways(page), url


def test_a_section_menu_opens_and_leads_to_its_page(
    live_server, login, page, console_errors, operator_a
):
    page.set_viewport_size({"width": 1024, "height": 800})
    login(operator_a)

    page.locator("nav").get_by_role("button", name="Registri").click()
    page.locator("nav .dropdown-menu").get_by_role("link", name="SKTM").click()
    page.wait_for_url("**/registry/sktm/")

    assert "active" in page.locator(
        "nav .dropdown-toggle", has_text="Registri"
    ).get_attribute("class")
    assert console_errors == []


def test_on_a_phone_the_menu_folds_behind_a_button_and_signs_out(
    live_server, login, page, console_errors, operator_a
):
    page.set_viewport_size({"width": 390, "height": 800})
    login(operator_a)
    assert not page.locator("nav").get_by_role("link", name="Penerimaan").is_visible()

    page.click("button.navbar-toggler")
    page.wait_for_selector("#mainnav.show")  # unfolded, its animation over
    page.click("#user-menu")
    page.locator("nav").get_by_role("button", name="Keluar", exact=True).click()

    page.wait_for_url("**/masuk/")
    assert not _overflows_sideways(page)
    assert console_errors == []


def test_on_a_phone_no_page_scrolls_sideways(
    live_server,
    login,
    page,
    operator_a,
    verifikator,
    supervisor,
    peksos_odgj,
    kelurahan_a,
    kelurahan_b,
):
    """WCAG 1.4.10 (reflow) at 320 px, the criterion's width (small phones): a wide
    table scrolls inside its own box, the page itself does not. Rows with
    screen-reader-only labels (the call form of "Keluar dari DTKS") once stretched
    the whole page, and so did the footer's language form."""
    with_one_of_each(kelurahan_a, peksos_odgj)
    records = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)
    left_dtks(person(kelurahan=kelurahan_a, name="Warga Keluar"))
    reported_move_in(person(kelurahan=kelurahan_b, name="Pindahan"), to=kelurahan_a)
    page.set_viewport_size({"width": 320, "height": 800})

    def overflowing(urls: list[str]) -> list[str]:
        found = []
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            # The screen itself, not a sign-in or second-factor page instead.
            assert response is not None, url
            assert response.status == 200, url
            assert page.url == f"{live_server.url}{url}", url
            if _overflows_sideways(page):
                found.append(url)
        return found

    citizens = [url for owner, url in records.values() if owner is None]
    found = overflowing([*citizens, "/transparansi/"])
    login(operator_a)
    screens = ["/", "/puskesos/", "/puskesos/kasus/", "/registry/sktm/", "/bpjs/"]
    screens += ["/registry/cari/", "/registry/usulan-dtks/", "/registry/pindah-datang/"]
    screens += ["/registry/keluar-dtks/", "/bpjs/penghapusan/", "/bpjs/peserta/"]
    screens += [url for owner, url in records.values() if owner == operator_a]
    found += overflowing(screens)
    supervisor_screens = ["/bpjs/iuran/", "/bpjs/batch/", "/registry/dtks/", "/odgj/"]
    supervisor_screens += ["/registry/keluar-dtks/"]
    # The ODGJ case worker's screens go out on outreach ("jemput bola") on a phone.
    for staff, own_screens in [
        (peksos_odgj, ["/", "/odgj/", "/odgj/kunjungan/baru/"]),
        (verifikator, ["/", "/registry/usulan-dtks/", "/bpjs/batch/"]),
        (supervisor, supervisor_screens),
    ]:
        page.context.clear_cookies()
        login(staff)
        own_screens += [url for owner, url in records.values() if owner == staff]
        found += overflowing(own_screens)

    assert found == []
