"""A bare WSGI application (no Django, no database): the ceiling that gunicorn, wrk
and loopback set on this machine, measured by bench/api.py in the same run as the
partner API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

BODY = b'{"found": true}'


def application(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    environ["wsgi.input"].read()
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))],
    )
    return [BODY]
