from django.apps import AppConfig


class MyConfig(AppConfig):
    """The mothers' portal at /my/ (マイページ): find a facility, apply, the voucher on her
    phone, bookings, changes and out-of-area claims."""

    name = "sango.portals.my"
    label = "my"
    verbose_name = "My page"
