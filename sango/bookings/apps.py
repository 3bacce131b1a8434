from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Provisional bookings at facilities."""

    name = "sango.bookings"
    verbose_name = "仮予約"
