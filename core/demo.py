"""Demo-data seeders registered by the apps (kept out of core's imports)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import User

_seeders: list[tuple[int, Callable[[], None]]] = []


def register_seeder(seeder: Callable[[], None], *, order: int = 100) -> None:
    if all(existing is not seeder for _, existing in _seeders):
        _seeders.append((order, seeder))


def run_seeders() -> None:
    for _, seeder in sorted(_seeders, key=lambda s: s[0]):
        seeder()


def demo_actor(role: str, kelurahan_code: str | None = None) -> User | None:
    """The demo account a seeder acts as (seed_demo creates one per role), so the
    demo's records carry a real who and when like any other."""
    from core.models import User

    users = User.objects.filter(role=role, is_active=True)
    if kelurahan_code is not None:
        users = users.filter(kelurahan_id=kelurahan_code)
    return users.order_by("id").first()
