"""Settings of the load benchmark (``make bench-web``): production settings as they are, plus
what a run on loopback needs — plain HTTP, local hosts, a fixed key — and the bare views the
benchmark compares every endpoint with (``sango.config.bench_urls``).

Never deploy with these: the secret key is public and the URLconf serves the bare views.
"""

import os
from unittest import mock

# Production settings refuse to import without a SECRET_KEY; give them the benchmark's.
_BENCH_SECRET_KEY = "sango-bench-only-public-key-never-use-for-a-real-site"
with mock.patch.dict(os.environ, {"SECRET_KEY": _BENCH_SECRET_KEY}):
    from sango.config.settings.prod import *

SECRET_KEY = _BENCH_SECRET_KEY
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# wrk talks plain HTTP to 127.0.0.1; there is no TLS proxy in front.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "sango.config.bench_urls"
# The production storage's manifest without its compression: compressing every file with
# Brotli makes collectstatic take minutes, and no hot path serves a static file; ``{% static %}``
# reads the same manifest either way.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
