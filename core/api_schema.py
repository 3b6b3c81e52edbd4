"""OpenAPI description of our partner authentication (OAuth2 client credentials)."""

from __future__ import annotations

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class PartnerAuthenticationScheme(DjangoOAuthToolkitScheme):
    target_class = "core.api.PartnerAuthentication"
    name = "oauth2"
