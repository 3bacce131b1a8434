from django.contrib import admin

from sango.accounts.access import bookings_visible_to
from sango.bookings.models import Booking
from sango.core.admin import ScopedAdmin


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    visible = staticmethod(bookings_visible_to)
    list_display = ("facility", "mother", "service", "start_date", "end_date", "status")
    list_filter = ("status", "service")
    list_select_related = ("facility", "mother")
