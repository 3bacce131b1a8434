from django.contrib import admin

from sango.accounts.access import bookings_visible_to, waitlist_visible_to
from sango.bookings.models import Booking, WaitlistEntry
from sango.core.admin import ScopedAdmin


@admin.register(Booking)
class BookingAdmin(ScopedAdmin):
    visible = staticmethod(bookings_visible_to)
    list_display = ("facility", "mother", "service", "start_date", "end_date", "status")
    list_filter = ("status", "service")
    list_select_related = ("facility", "mother")


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ScopedAdmin):
    visible = staticmethod(waitlist_visible_to)
    list_display = ("facility", "mother", "service", "day", "status", "offer_expires_at")
    list_filter = ("status", "service")
    list_select_related = ("facility", "mother")
