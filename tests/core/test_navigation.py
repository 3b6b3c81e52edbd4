"""The menu lights one item: the section the page belongs to."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _lit(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return [item["label"] for item in response.context["nav_items"] if item["active"]]


def test_the_intake_form_lights_intake_not_also_the_puskesos_home(client, operator_a):
    assert [
        str(label) for label in _lit(client, operator_a, "/puskesos/penerimaan/")
    ] == ["Penerimaan"]


def test_a_page_under_a_section_lights_that_section(client, operator_a):
    assert [str(label) for label in _lit(client, operator_a, "/puskesos/kasus/")] == [
        "Puskesos"
    ]


def test_the_home_page_lights_nothing(client, operator_a):
    assert _lit(client, operator_a, "/") == []
