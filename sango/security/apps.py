from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """The layers every door shares: login throttling, second factor, session lifetimes, API
    tokens that die with the password, and the record that lets a user end every session."""

    name = "sango.security"
    verbose_name = "セキュリティ"

    def ready(self) -> None:
        from sango.security import signals  # noqa: F401  (connects the receivers)
