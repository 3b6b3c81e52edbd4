from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.bpjs import participant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_supervisor_sees_charts_and_follows_a_drill_down(
    live_server, login, page, console_errors, supervisor, kelurahan_a
):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    login(supervisor)

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("canvas.chart")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas.chart')].every(c => c.width > 0)"
    )
    assert page.locator("canvas.chart").count() >= 3

    page.click("dt:has-text('Peserta aktif') + dd a")
    page.wait_for_load_state()
    assert "/admin/bpjs/coverage/" in page.url
    assert console_errors == []


def test_chart_value_axes_count_in_whole_numbers(
    live_server, login, page, console_errors, supervisor, kelurahan_a
):
    participant(kelurahan_a, start=dt.date(2026, 1, 1))
    login(supervisor)

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("load")
    ticks = page.evaluate(
        """() => [...document.querySelectorAll('canvas.chart')]
            .map(c => Chart.getChart(c))
            .filter(chart => chart && chart.scales.y)
            .flatMap(chart => chart.scales.y.ticks.map(t => t.value))"""
    )

    assert ticks
    assert [value for value in ticks if value != int(value)] == []
    assert console_errors == []
