"""Django project configuration: settings, URLs and the WSGI/ASGI entry points."""
