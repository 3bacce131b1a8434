"""App configuration for ``sango.core``."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sango.core"
    label = "core"
    verbose_name = "Sango core"
