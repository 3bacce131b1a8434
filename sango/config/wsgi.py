"""WSGI entry point (``gunicorn sango.config.wsgi``).

Defaults to the production settings: a server process should fail closed (no SECRET_KEY, no
start) rather than fall back to debug settings.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sango.config.settings.prod")

application = get_wsgi_application()
