"""The app's own settings plus one baseline endpoint for bench/api.py."""

from config.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.server.urls"
