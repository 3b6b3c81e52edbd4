from __future__ import annotations

from config.embedded_db import tuning


def test_embedded_server_gets_a_quarter_of_memory_as_shared_buffers():
    assert tuning(ram_mb=24_000)["shared_buffers"] == "6000MB"


def test_shared_buffers_are_capped_on_big_machines():
    assert tuning(ram_mb=256_000)["shared_buffers"] == "8192MB"


def test_small_machines_keep_room_for_the_app():
    settings = tuning(ram_mb=2_000)

    assert settings["shared_buffers"] == "500MB"
    assert settings["effective_cache_size"] == "1000MB"
