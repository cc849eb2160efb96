"""Settings for the test suite: the real settings with fast hashing, in-memory mail and
immediate tasks. The database is SQLite unless DATABASE_URL points elsewhere (make test
runs the suite a second time on a real PostgreSQL)."""

from beacon.config.settings import *  # noqa: F403
from beacon.config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = True
