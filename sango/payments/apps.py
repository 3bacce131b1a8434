from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Paying what the municipality owes on a date: approved facility claims and reimbursements
    gathered in a batch, locked, written as a 全銀協 transfer file, and marked paid."""

    name = "sango.payments"
    verbose_name = "支払"
