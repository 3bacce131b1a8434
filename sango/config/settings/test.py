"""Test settings: the database from DATABASE_URL if set, else in-memory SQLite; fast hashing."""

from sango.config.env import env_str
from sango.config.settings.base import *

SECRET_KEY = "sango-test-secret-key-not-for-any-real-use"
DEBUG = False

if not env_str("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Hashing strength is irrelevant to tests and the default hasher costs ~0.3 s per password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the apps' directories, as in development: tests must not depend on
# a prior collectstatic (WhiteNoise would otherwise warn that STATIC_ROOT is missing).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Uploads stay in memory: nothing a test hands in is left on the disk.
STORAGES = {
    **STORAGES,
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
