"""Demo-data seeders registered by the apps (kept out of core's imports)."""

from __future__ import annotations

from collections.abc import Callable

_seeders: list[tuple[int, Callable[[], None]]] = []


def register_seeder(seeder: Callable[[], None], *, order: int = 100) -> None:
    if all(existing is not seeder for _, existing in _seeders):
        _seeders.append((order, seeder))


def run_seeders() -> None:
    for _, seeder in sorted(_seeders, key=lambda s: s[0]):
        seeder()
