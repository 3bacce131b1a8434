from django.apps import AppConfig


class VouchersConfig(AppConfig):
    """Vouchers and usage cards, and how a facility verifies one."""

    name = "sango.vouchers"
    verbose_name = "利用券"
