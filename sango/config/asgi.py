"""ASGI entry point. Defaults to the production settings, like ``sango.config.wsgi``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sango.config.settings.prod")

application = get_asgi_application()
