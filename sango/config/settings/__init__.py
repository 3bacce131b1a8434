"""Settings modules: ``base`` holds what every environment shares; ``dev``, ``prod`` and
``test`` build on it. Choose one with ``DJANGO_SETTINGS_MODULE``."""
