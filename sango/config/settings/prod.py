"""Production settings: debug off, a required secret key, HTTPS-only cookies and HSTS.

Sango is expected to run behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
"""

from sango.config.env import env_bool, env_int, env_required
from sango.config.settings.base import *

DEBUG = False
# What must never run against real data refuses under these settings (``sango demo_setup``).
SANGO_PRODUCTION = True
SECRET_KEY = env_required(
    "SECRET_KEY",
    "Production settings (sango.config.settings.prod) refuse to start without one. Generate one "
    'with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"',
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Staff, facility staff and administrators log in with a second factor (README, "Security").
SANGO_TWO_FACTOR_REQUIRED = env_bool("SANGO_TWO_FACTOR_REQUIRED", default=True)
# One reverse proxy appends the client's address to X-Forwarded-For (login throttling reads it).
SANGO_TRUSTED_PROXIES = env_int("SANGO_TRUSTED_PROXIES", default=1)

SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
# Off by default: a municipality's domain often has sibling hosts that Sango does not control.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
