from django.apps import AppConfig


class LettersConfig(AppConfig):
    """The printed letters of the back office (決定通知書, 利用カード) as PDF."""

    name = "sango.letters"
    verbose_name = "通知書"
