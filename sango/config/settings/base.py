"""Settings shared by every environment, read from environment variables.

See README.md, "Configuration", for the variables. ``dev``, ``prod`` and ``test`` import
everything from here and override what differs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

import sango
from sango.config.env import env_bool, env_int, env_list, env_str

# The installed ``sango`` package: code, templates, static files and translations.
PACKAGE_DIR = Path(sango.__file__).resolve().parent

# Files the running site writes (SQLite database, collected static files) live outside the
# package, so that an installed package stays read-only.
VAR_DIR = Path(env_str("SANGO_VAR_DIR") or Path.cwd() / "var").resolve()

SECRET_KEY = env_str("SECRET_KEY")
# True only in the prod settings: the demo's command refuses to run there.
SANGO_PRODUCTION = False
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])


def _default_database_url() -> str:
    """SQLite in ``VAR_DIR``, creating the directory, for when ``DATABASE_URL`` is unset."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'sango.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_database_url(),
        conn_max_age=env_int("CONN_MAX_AGE", default=0),
        # With persistent connections, check a reused connection before handing it out.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock when a transaction begins, so that two requests recording against
    # one voucher queue up instead of both reading the same remaining cap (PostgreSQL uses row
    # locks for this; see usage/services.py).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading timestamps with psycopg's C loader (sango/core/postgresql).
    DATABASES["default"]["ENGINE"] = "sango.core.postgresql"
if DATABASES["default"]["ENGINE"] == "sango.core.postgresql" and env_bool(
    "SANGO_DB_PREPARE", default=True
):
    # Bind parameters on the server, and let psycopg prepare a statement the fifth time one
    # connection runs it, so that PostgreSQL plans it once: the hot paths run the same few
    # statements on every request, over persistent connections (CONN_MAX_AGE); this halves the
    # database's share of a use recorded. Django leaves preparing off unless asked. Behind
    # PgBouncer, use 1.21+ with max_prepared_statements set, or SANGO_DB_PREPARE=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens: hashed, expiring, revocable (sango/api/views/misc.py TokenView).
    "knox",
    # Login throttling and lockout on every login (sango/security/throttle.py).
    "axes",
    # The second factor: an authenticator app (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    # Swagger UI and Redoc assets served from this site (no CDN): /api/docs/, /api/redoc/.
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "sango.core",
    "sango.programs",
    "sango.municipalities",
    "sango.facilities",
    "sango.accounts",
    "sango.mothers",
    "sango.applications",
    "sango.vouchers",
    "sango.bookings",
    "sango.usage",
    "sango.reimbursements",
    "sango.billing",
    "sango.reports",
    "sango.audit",
    "sango.letters",
    "sango.uploads",
    "sango.banking",
    "sango.payments",
    "sango.notifications",
    "sango.api",
    "sango.security",
    # The faces people use, above the domain apps (which never import them).
    "sango.portals.common",
    "sango.portals.staff",
    "sango.portals.facility",
    "sango.portals.my",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (settings below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # WhiteNoise serves static files; it must come right after SecurityMiddleware.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware reads the session/cookie, so it follows SessionMiddleware and
    # precedes CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits (sango/security/sessions.py); it tells why in a message.
    "sango.security.sessions.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A server error under /api/ answers in the API's JSON error format, not an HTML page.
    "sango.api.middleware.ApiServerErrors",
    # Last, as django-axes asks: turns a locked-out login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

# The covering index on uses (INCLUDE columns) serves PostgreSQL, the production database;
# SQLite builds it without them, which is all the warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

ROOT_URLCONF = "sango.config.urls"
WSGI_APPLICATION = "sango.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sango.portals.staff.context.staff_menu",
            ],
        },
    },
]

# At least 12 characters, not like the account's names, not all digits, not on Django's list of
# 20,000 common passwords, and not easy to guess by zxcvbn's estimate from breached-password
# lists and patterns (sango/security/passwords.py; offline, nothing is sent out).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "sango.security.passwords.GuessablePasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese is the source language: msgids are Japanese and only English needs a catalogue.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# "private" keeps what mothers upload (documents, receipts) outside every public URL: files are
# served only through views that check who asks (sango.uploads).
PRIVATE_ROOT = Path(env_str("SANGO_PRIVATE_ROOT") or VAR_DIR / "private").resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The REST API (sango/api). Token first, so that a request without credentials gets 401 with
# ``WWW-Authenticate: Token`` rather than 403. Every error, whatever raised it, is rendered as
# {"errors": [{"field", "code", "message"}]} by sango.api.errors.exception_handler.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sango.api.authentication.TokenAuthentication",
        "sango.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["sango.api.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "sango.api.negotiation.ContentNegotiation",
    # orjson: fast, and a body nested deeper than 1,024 levels is a parse error, not a crash.
    "DEFAULT_PARSER_CLASSES": ["sango.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "sango.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "sango.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # The OpenAPI schema describes every endpoint; OPTIONS answers 405 rather than guessing a
    # description from serializers our views choose per action.
    "DEFAULT_METADATA_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sango API",
    "DESCRIPTION": (
        "産後ケア事業の申請・利用券・利用記録・委託料請求のAPIです。\n\n"
        "認証: `Authorization: Token <token>`（`POST /api/auth/token/` で取得）"
        "またはセッション。\n\n"
        "エラーはすべて同じ形です: "
        '`{"errors": [{"field": "項目名またはnull", "code": "コード", '
        '"message": "日本語の説明"}]}`。'
        "400 入力の誤り、401 未認証、403 権限なし、404 見つからない（他の市町村・施設・産婦のIDも"
        "404）、409 状態が合わない（invalid_state）、422 制度上利用できない（理由ごとに1件）。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"TierBasisEnum": "sango.applications.models.TierBasis"},
}

# Separation of duties: who prepared a decision (interview, tier, claim review, a claim entered
# for a mother) may not take it. A very small office may relax it; the audit trail shows it.
SANGO_SEPARATE_DUTIES = env_bool("SANGO_SEPARATE_DUTIES", default=True)

# Mail (account verification, notifications) is sent by background tasks, never in a request.
# SMTP from the environment; the demo writes each mail to a file under var/mail instead.
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Sango 産後ケア <no-reply@sango.invalid>"
# Where the site is reached from outside: the links in mails (verification, notifications).
SANGO_SITE_URL = (env_str("SANGO_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Mothers log in with their e-mail address; the second backend only lets the mothers' login
# tell an unverified sign-up apart from a wrong password (sango/accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    # First: refuses every login of a locked-out username and address before a password is tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sango.accounts.backends.MotherEmailBackend",
]

# Background tasks (batch printing) are queued in the database and run by `sango db_worker`,
# which `make demo` starts next to the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The cache keeps the public programme pages' content and nothing personal
# (sango/programs/cache.py). Local memory, one per process, unless SANGO_CACHE_URL names a Redis
# server that every worker shares (redis://127.0.0.1:6379/1; needs the ``redis`` package). A
# slow or unreachable Redis gives up after half a second and the page is rendered without it.
SANGO_CACHE_URL = env_str("SANGO_CACHE_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SANGO_CACHE_URL,
            "KEY_PREFIX": "sango",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if SANGO_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sango"}
    )
}

# Directories holding programme documents (rules as data), searched in order.
SANGO_PROGRAM_DIRS = [
    Path(path) for path in env_list("SANGO_PROGRAM_DIRS", default=[], separator=os.pathsep)
] or [PACKAGE_DIR / "programs" / "documents"]

# Personal data must never reach the logs: every handler carries PersonalDataFilter, and the
# format has no request body. The "django" loggers are listed so that dictConfig replaces the
# handlers Django's default configuration attached to them (which lack the filter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "sango.core.logging.PersonalDataFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # WeasyPrint and fontTools narrate every PDF at INFO; only their warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every successful login at INFO.
        "axes": {"level": "WARNING"},
    },
}

# The layers a government system is expected to have (README, "Security"; sango/security/).
#
# Login throttling (django-axes), on every login: the three doors, /admin/ and the API token.
# Five failures for one username from one address lock that pair out for 15 minutes (each
# further try during the lockout starts the 15 minutes again); a successful login clears the
# count. Unknown usernames count like known ones, and the answer is the same.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "sango.security.throttle.username_of"
AXES_CLIENT_IP_CALLABLE = "sango.security.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "sango.security.throttle.lockout_response"
# django-axes would log each failure with the username (an e-mail address for mothers).
AXES_VERBOSE = False
# How many reverse proxies in front of Sango append to X-Forwarded-For (prod: one). With 0 the
# client address is the connection's own.
SANGO_TRUSTED_PROXIES = env_int("SANGO_TRUSTED_PROXIES", 0)

# The second factor (django-otp): required for staff, facility and administrators when on (the
# prod settings turn it on); optional for mothers everywhere.
SANGO_TWO_FACTOR_REQUIRED = env_bool("SANGO_TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Sango"

# Sessions (sango/security/sessions.py): staff, facility and administrators 30 minutes idle
# and 12 hours at most; mothers 7 days at most. The cookie lasts as long as the longest.
SANGO_SESSION_IDLE_MINUTES = env_int("SANGO_SESSION_IDLE_MINUTES", 30)
SANGO_SESSION_STAFF_HOURS = env_int("SANGO_SESSION_STAFF_HOURS", 12)
SANGO_SESSION_MOTHER_DAYS = env_int("SANGO_SESSION_MOTHER_DAYS", 7)
SESSION_COOKIE_AGE = SANGO_SESSION_MOTHER_DAYS * 24 * 60 * 60

# API tokens (django-rest-knox): only a hash is stored; each lives 10 hours, ends at logout
# (POST /api/auth/logout/), at "log out everywhere" and with a new password; sent as
# ``Authorization: Token <token>`` as before.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("SANGO_API_TOKEN_HOURS", 10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# Content-Security-Policy (django-csp): scripts, styles, images and connections from this site
# only; no inline script or style anywhere (tests/test_headers.py checks the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy: every powerful feature off. The facility's QR photo is a file input
# (``capture``), which opens the device's own camera app and needs no camera permission.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
