from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts and roles: municipal staff, facility staff, mothers, administrators."""

    name = "sango.accounts"
    verbose_name = "アカウント"
