from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Who changed what, when, with the figures before and after."""

    name = "sango.audit"
    verbose_name = "監査記録"
