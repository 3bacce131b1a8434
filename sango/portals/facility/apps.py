from django.apps import AppConfig


class FacilityPortalConfig(AppConfig):
    """The facility portal at /facility/: midwives and reception at contracted facilities."""

    name = "sango.portals.facility"
    label = "facility_portal"
    verbose_name = "Facility portal"
