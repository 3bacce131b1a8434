from django.apps import AppConfig


class MothersConfig(AppConfig):
    """Mothers and their infants: the people the programme serves."""

    name = "sango.mothers"
    verbose_name = "産婦"
