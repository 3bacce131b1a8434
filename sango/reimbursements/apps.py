from django.apps import AppConfig


class ReimbursementsConfig(AppConfig):
    """Out-of-area reimbursement claims (償還払い)."""

    name = "sango.reimbursements"
    verbose_name = "償還払い"
