from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Facility monthly claims (委託料請求) and their review."""

    name = "sango.billing"
    verbose_name = "委託料請求"
