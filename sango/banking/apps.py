from django.apps import AppConfig


class BankingConfig(AppConfig):
    """Bank accounts money is paid to: bank and branch checked against the 全銀協 codes, the
    account holder's name in the half-width kana a transfer can carry."""

    name = "sango.banking"
    verbose_name = "口座"
