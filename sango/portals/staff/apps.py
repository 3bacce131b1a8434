from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The municipal back office at /staff/: こども課 clerks, 保健師 and approvers."""

    name = "sango.portals.staff"
    label = "staff"
    verbose_name = "Staff office"
