"""The OAuth2 server exposes only what partners' client-credentials grant needs.
Everything else django-oauth-toolkit ships (application registration by any
signed-in user, the authorization-code consent page, the device flow, discovery)
would let a staff member obtain, through the liaison's consent, a token carrying the
liaison's access to the partner API."""

from __future__ import annotations

import pytest

from tests.api.conftest import SECRET, fetch_token, make_client_app

pytestmark = pytest.mark.django_db

NOT_OURS = [
    "/api/oauth/applications/",
    "/api/oauth/applications/register/",
    "/api/oauth/authorize/",
    "/api/oauth/authorized_tokens/",
    "/api/oauth/device-authorization/",
    "/api/oauth/device/",
    "/api/oauth/introspect/",
    "/api/oauth/register/",
    "/api/oauth/userinfo/",
    "/api/oauth/.well-known/oauth-authorization-server",
    "/api/oauth/.well-known/openid-configuration",
]


@pytest.mark.parametrize("url", NOT_OURS)
def test_a_signed_in_staff_member_finds_no_other_oauth_endpoint(
    client, operator_a, url
):
    client.force_login(operator_a)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_a_partner_still_gets_and_revokes_a_client_credentials_token(client, liaison):
    app = make_client_app(liaison)
    token = fetch_token(app)

    revoked = client.post(
        "/api/oauth/revoke_token/",
        {"token": token, "client_id": app.client_id, "client_secret": SECRET},
    )

    assert revoked.status_code == 200
    response = client.post(
        "/api/v1/status-layanan/",
        {"nik": "6471011205850001"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 401


def test_the_api_documentation_names_the_one_grant_and_its_token_address(client):
    import json

    schema = json.loads(
        client.get(
            "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        ).content
    )

    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]

    assert list(flows) == ["clientCredentials"]
    assert flows["clientCredentials"]["tokenUrl"] == "/api/oauth/token/"
    assert "status:read" in flows["clientCredentials"]["scopes"]
