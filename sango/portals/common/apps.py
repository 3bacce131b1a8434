from django.apps import AppConfig


class PortalsCommonConfig(AppConfig):
    """What the three portals share: layout, form fields, the once-only submission guard."""

    name = "sango.portals.common"
    label = "portals_common"
    verbose_name = "Portals (shared)"
