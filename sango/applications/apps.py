from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Applications, intake interviews, decisions, grants and change requests."""

    name = "sango.applications"
    verbose_name = "利用申請"
