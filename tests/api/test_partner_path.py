"""What the partner API's fast path must keep: tokens read once per few seconds but
revocation, expiry and deactivation still honoured; the NIK checked with the same
errors; the site's response headers on the shorter middleware chain."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from email.utils import parsedate_to_datetime
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from core.api import loaded_tokens
from tests.api.conftest import fetch_token, make_client_app
from tests.factories.registry import make_nik

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/status-layanan/"


@pytest.fixture(autouse=True)
def _fresh_token_cache():
    loaded_tokens.clear()
    yield
    loaded_tokens.clear()


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _status(client: APIClient, nik: object = None):
    return client.post(STATUS, {"nik": nik or make_nik()}, format="json")


def test_token_revoked_after_use_is_refused_at_once(liaison):
    client = _client(fetch_token(make_client_app(liaison)))
    assert _status(client).status_code == 200

    for access in AccessToken.objects.all():
        access.revoke()

    assert _status(client).status_code == 401


def test_liaison_deactivated_after_use_is_refused_at_once(liaison):
    client = _client(fetch_token(make_client_app(liaison)))
    assert _status(client).status_code == 200

    liaison.is_active = False
    liaison.save(update_fields=["is_active"])

    assert _status(client).status_code == 401


def test_token_expiring_while_remembered_is_refused(liaison):
    client = _client(fetch_token(make_client_app(liaison)))
    AccessToken.objects.update(expires=timezone.now() + dt.timedelta(seconds=1))
    assert _status(client).status_code == 200

    time.sleep(1.1)

    assert _status(client).status_code == 401


def test_token_is_read_on_every_call_when_caching_is_off(liaison, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    client = _client(fetch_token(make_client_app(liaison)))
    _status(client)

    with CaptureQueriesContext(connection) as captured:
        _status(client)

    assert len(captured) == 2


@pytest.mark.parametrize(
    ("nik", "words"),
    [
        ("123", "16 digit"),
        ("x" * 40, "20"),
        (None, "harus diisi"),
    ],
)
def test_malformed_nik_is_refused_with_the_field_named(liaison, nik, words):
    client = _client(fetch_token(make_client_app(liaison)))
    body = {} if nik is None else {"nik": nik}

    response = client.post(STATUS, body, format="json")

    error = response.json()["errors"][0]
    assert response.status_code == 400
    assert error["attr"] == "nik"
    assert words in error["detail"]


def _through_wsgi(
    path: str, *, method: str = "GET", body: dict | None = None, token: str = ""
):
    from config.handlers import Application

    payload = json.dumps(body or {}).encode()
    environ: dict = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(payload)),
        "wsgi.input": io.BytesIO(payload),
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    setup_testing_defaults(environ)
    environ["SERVER_NAME"] = environ["HTTP_HOST"] = "testserver"
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status
        started["headers"] = dict(headers)

    # As Django's test client does: the test's connection holds its transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = Application()(environ, start_response)
        b"".join(chunks)
        chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(started["status"].split()[0]), started["headers"]


def test_partner_api_answers_carry_the_site_headers_and_no_cookie(liaison):
    token = fetch_token(make_client_app(liaison))

    status, headers = _through_wsgi(
        STATUS, method="POST", body={"nik": make_nik()}, token=token
    )

    assert status == 200
    assert "no-store" in headers["Cache-Control"]
    assert parsedate_to_datetime(headers["Expires"]) <= timezone.now()
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Language"] == "id"
    assert "Set-Cookie" not in headers
    assert "Cookie" not in headers.get("Vary", "")


def test_site_pages_keep_the_browser_chain():
    status, headers = _through_wsgi("/masuk/")

    assert status == 200
    assert "csrftoken" in headers.get("Set-Cookie", "")


def test_status_answer_is_compact_json(liaison):
    client = _client(fetch_token(make_client_app(liaison)))

    response = _status(client)

    assert response["Content-Type"] == "application/json"
    assert response.content == (
        b'{"found":false,"in_dtks":false,"bpjs_active":false,'
        b'"bpjs_segment":null,"odgj_open_case":false}'
    )


def test_status_answer_is_indented_for_a_client_asking_for_it(liaison):
    client = _client(fetch_token(make_client_app(liaison)))

    response = client.post(
        STATUS,
        {"nik": make_nik()},
        format="json",
        HTTP_ACCEPT="application/json; indent=2",
    )

    assert response["Content-Type"] == "application/json"
    assert response.content.startswith(b'{\n  "found": false,\n')
    assert response.json()["in_dtks"] is False


@pytest.mark.parametrize("accept", ["*/*", "application/json", "application/*"])
def test_status_is_answered_to_clients_accepting_json(liaison, accept):
    client = _client(fetch_token(make_client_app(liaison)))

    response = client.post(
        STATUS, {"nik": make_nik()}, format="json", HTTP_ACCEPT=accept
    )

    assert response.status_code == 200


def test_client_refusing_json_is_told_406(liaison):
    client = _client(fetch_token(make_client_app(liaison)))

    response = client.post(
        STATUS, {"nik": make_nik()}, format="json", HTTP_ACCEPT="text/html"
    )

    assert response.status_code == 406


def test_status_nik_may_come_form_encoded(liaison):
    client = _client(fetch_token(make_client_app(liaison)))

    response = client.post(STATUS, {"nik": make_nik()})

    assert response.json()["found"] is False


@pytest.mark.parametrize(
    "body",
    [b'{"nik": ', b'{"nik": NaN}', '{"nik": "é"}'.encode("latin-1")],
    ids=["truncated", "nan", "not-utf8"],
)
def test_unreadable_json_body_is_a_parse_error(liaison, body):
    client = _client(fetch_token(make_client_app(liaison)))

    response = client.post(STATUS, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_schema_is_still_negotiated_by_format(client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
