from __future__ import annotations

import pytest

from tests.factories.core import PASSWORD


@pytest.fixture
def login(live_server, page):
    def _login(user):
        page.goto(f"{live_server.url}/masuk/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


@pytest.fixture
def console_errors(page):
    """Script errors, console errors and failed requests (with their URL)."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.text} {msg.location}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return errors
