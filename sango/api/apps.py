from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API over the services: serializers, permissions and the schema."""

    name = "sango.api"
    verbose_name = "API"
