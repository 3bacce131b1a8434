from django.apps import AppConfig


class UsageConfig(AppConfig):
    """Uses recorded by facilities, judged by the rules core and counted against caps."""

    name = "sango.usage"
    verbose_name = "利用記録"
