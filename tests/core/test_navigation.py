"""The menu: one entry per section, a section's items under one menu, and one item
lit, the section the page belongs to."""

from __future__ import annotations

import pytest

from core.context_processors import MenuGroup, MenuLink, bar_entries

pytestmark = pytest.mark.django_db


def _opened(client, user, url):
    client.force_login(user)
    return client.get(url).context


def _lit(client, user, url):
    """Every lit link, inside a menu or not."""
    entries = _opened(client, user, url)["nav_menu"]
    links = [
        link
        for entry in entries
        for link in (entry.links if isinstance(entry, MenuGroup) else [entry])
    ]
    return [str(link.label) for link in links if link.active]


def _bar(entries):
    return [
        (str(e.label), [str(link.label) for link in e.links])
        if isinstance(e, MenuGroup)
        else str(e.label)
        for e in entries
    ]


def test_the_intake_form_lights_intake_not_also_the_puskesos_home(client, operator_a):
    assert _lit(client, operator_a, "/puskesos/penerimaan/") == ["Penerimaan"]


def test_a_page_under_a_section_lights_that_section(client, operator_a):
    assert _lit(client, operator_a, "/puskesos/kasus/") == ["Puskesos"]


def test_the_home_page_lights_nothing(client, operator_a):
    assert _lit(client, operator_a, "/") == []


def test_a_sections_items_open_from_one_menu(client, operator_a):
    bar = _opened(client, operator_a, "/")["nav_menu"]

    assert _bar(bar) == [
        "Puskesos",
        "Penerimaan",
        (
            "Registri",
            [
                "Cari penduduk",
                "Keluarga baru",
                "Pindah datang",
                "SKTM",
                "Usulan DTKS",
                "Keluar dari DTKS",
            ],
        ),
        "Lapor ODGJ",
        ("BPJS", ["Pengajuan BPJS", "Peserta aktif", "Penghapusan peserta"]),
    ]


def test_a_page_inside_a_menu_lights_the_menu_and_its_item(client, operator_a):
    bar = _opened(client, operator_a, "/registry/sktm/")["nav_menu"]
    registry = next(e for e in bar if str(e.label) == "Registri")

    assert registry.active
    assert [str(link.label) for link in registry.links if link.active] == ["SKTM"]


def test_a_role_with_one_item_of_a_section_gets_a_plain_link():
    links = [
        MenuLink(label="Cari penduduk", url="/cari/", active=False, group="Registri"),
        MenuLink(label="Pengajuan BPJS", url="/bpjs/", active=False, group="BPJS"),
        MenuLink(label="Iuran", url="/iuran/", active=False, group="BPJS"),
    ]

    assert _bar(bar_entries(links)) == [
        "Cari penduduk",
        ("BPJS", ["Pengajuan BPJS", "Iuran"]),
    ]
