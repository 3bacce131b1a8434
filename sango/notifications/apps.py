from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Messages to mothers, staff and facilities (in the portal and by mail), one per event."""

    name = "sango.notifications"
    verbose_name = "お知らせ"
