"""Development: `make run`. DEBUG stays off unless DEBUG=true is set."""

from .base import *

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
WHITENOISE_USE_FINDERS = True
