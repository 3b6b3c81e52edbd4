from __future__ import annotations

import base64

import pytest
from oauth2_provider.models import Application
from rest_framework.test import APIClient

SECRET = "rahasia-klien-dukcapil-0123456789"
ALL_SCOPES = "odgj:read odgj:write population:write status:read"


def make_client_app(owner, name="Dukcapil"):
    return Application.objects.create(
        name=name,
        user=owner,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
    )


def fetch_token(app, scope=ALL_SCOPES):
    client = APIClient()
    basic = base64.b64encode(f"{app.client_id}:{SECRET}".encode()).decode()
    response = client.post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def api(liaison):
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {fetch_token(make_client_app(liaison))}"
    )
    return client
