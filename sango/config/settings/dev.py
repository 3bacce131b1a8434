"""Development settings: debug on, local hosts only, an insecure default secret key."""

from sango.config.env import env_bool, env_list, env_str
from sango.config.settings.base import *

DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
# Only for a developer's machine; prod refuses to start without a real SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-sango-dev-only-do-not-use-in-production"

# The demo's mail (verification links, notifications) lands in var/mail, one file per message.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"

# The demo serves the sample programmes (ゆりかご市, invented: it takes applications online)
# beside the shipped ones, unless SANGO_PROGRAM_DIRS names the directories.
if not env_str("SANGO_PROGRAM_DIRS"):
    SANGO_PROGRAM_DIRS = [PACKAGE_DIR / "programs" / name for name in ("documents", "samples")]
