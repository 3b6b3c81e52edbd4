from __future__ import annotations

from config.embedded_db import repair_handle_list, tuning


def test_embedded_server_gets_a_quarter_of_memory_as_shared_buffers():
    assert tuning(ram_mb=24_000)["shared_buffers"] == "6000MB"


def test_shared_buffers_are_capped_on_big_machines():
    assert tuning(ram_mb=256_000)["shared_buffers"] == "8192MB"


def test_small_machines_keep_room_for_the_app():
    settings = tuning(ram_mb=2_000)

    assert settings["shared_buffers"] == "500MB"
    assert settings["effective_cache_size"] == "1000MB"


def test_a_handle_list_cut_short_by_a_killed_process_is_started_afresh(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("")

    repair_handle_list(tmp_path)

    assert handles.read_text() == "[]"


def test_a_sound_handle_list_is_left_as_it_is(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("[123, 456]")

    repair_handle_list(tmp_path)

    assert handles.read_text() == "[123, 456]"
