from django.contrib import admin

from sango.accounts.access import audit_visible_to
from sango.audit.models import AuditEvent
from sango.core.admin import ScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    visible = staticmethod(audit_visible_to)
    list_display = ("at", "actor", "action", "target_type", "target_id", "application")
    list_filter = ("action", "target_type")
    list_select_related = ("actor",)
