"""App configuration for ``sango.core``."""

from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "sango.core"
    label = "core"
    verbose_name = "Sango core"

    def ready(self) -> None:
        from sango.core.text import clean_model_text

        # One boundary for stored text, whatever door it came through (sango/core/text.py).
        pre_save.connect(clean_model_text, dispatch_uid="sango.core.clean_model_text")
