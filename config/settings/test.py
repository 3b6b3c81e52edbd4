"""Test settings: real PostgreSQL (DATABASE_URL, or the embedded server), fast hashing."""

from .base import *

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
MEDIA_ROOT = DATA_DIR / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
FIELD_ENCRYPTION_KEYS = [
    "OyqCiQlnTciEukWhVrOfzQHPxbHUvJNq-7fM0We0apw="
]  # test-only key
# WhiteNoise serves collected files; tests use the staticfiles finders instead.
MIDDLEWARE = [m for m in MIDDLEWARE if "whitenoise" not in m]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Test clients log in without a request object, which django-axes refuses; the lockout
# test turns it back on.
AXES_ENABLED = False
# Tests log staff in directly; the two-factor tests switch enforcement back on.
TWO_FACTOR_ROLES = frozenset()
