from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API over the services: serializers, permissions and the schema."""

    name = "sango.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the schema extensions (drf-spectacular finds them by subclassing).
        import sango.api.schema  # noqa: F401
