from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    """Municipalities, their offices and the history of their programme documents."""

    name = "sango.municipalities"
    verbose_name = "市町村"
