from django.contrib import admin

from sango.accounts.access import claims_visible_to
from sango.billing.models import ClaimLine, FacilityClaim
from sango.core.admin import ReadOnlyInline, ScopedAdmin


class ClaimLineInline(ReadOnlyInline):
    model = ClaimLine
    fields = ("use", "amount", "status", "rejection_reason", "rejection_note")


@admin.register(FacilityClaim)
class FacilityClaimAdmin(ScopedAdmin):
    visible = staticmethod(claims_visible_to)
    list_display = ("month", "facility", "municipality", "status", "total", "approved_total")
    list_filter = ("status", "municipality")
    list_select_related = ("facility", "municipality")
    inlines = [ClaimLineInline]
