"""Security events in the log (ASVS 16): logins, failures, logouts and denied access.
Log lines carry the staff username and the route, never personal data of citizens
(the MaskPersonalDataFilter masks any NIK/phone that slips in)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)

logger = logging.getLogger("security")


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("login ok user=%s", getattr(user, "username", "?"))


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("logout user=%s", getattr(user, "username", "?"))


def _on_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    logger.warning("login failed user=%s", credentials.get("username", "?"))


def denied(user: Any, path_name: str) -> None:
    logger.warning(
        "access denied user=%s view=%s", getattr(user, "username", "?"), path_name
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="security_log_login")
    user_logged_out.connect(_on_logout, dispatch_uid="security_log_logout")
    user_login_failed.connect(_on_failure, dispatch_uid="security_log_failed")
