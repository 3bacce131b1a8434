from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    """Facilities and their contracts with municipalities."""

    name = "sango.facilities"
    verbose_name = "委託施設"
