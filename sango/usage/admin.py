from django.contrib import admin

from sango.accounts.access import uses_visible_to
from sango.core.admin import ScopedAdmin
from sango.usage.models import Use


@admin.register(Use)
class UseAdmin(ScopedAdmin):
    visible = staticmethod(uses_visible_to)
    list_display = ("day", "facility", "service", "quantity", "fee", "subsidy", "copay", "status")
    list_filter = ("status", "source", "service")
    date_hierarchy = "day"
    list_select_related = ("facility",)
