from django.contrib import admin

from sango.accounts.access import applications_visible_to, change_requests_visible_to
from sango.applications.models import Application, ChangeRequest, Decision, Grant, Interview
from sango.core.admin import ReadOnlyInline, ScopedAdmin


class InterviewInline(ReadOnlyInline):
    model = Interview
    fields = ("conducted_at", "method", "conducted_by", "needs_found", "exclusions_found")


class GrantInline(ReadOnlyInline):
    model = Grant
    fields = ("cap", "quantity")


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ("kind", "fiscal_year", "sequence", "decided_by", "decided_at", "reason")


@admin.register(Application)
class ApplicationAdmin(ScopedAdmin):
    visible = staticmethod(applications_visible_to)
    list_display = ("pk", "mother", "status", "channel", "tier", "submitted_at", "decision_due")
    list_filter = ("status", "channel", "residence")
    list_select_related = ("mother", "municipality")
    inlines = [InterviewInline, GrantInline, DecisionInline]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ScopedAdmin):
    visible = staticmethod(change_requests_visible_to)
    list_display = ("pk", "application", "kind", "status", "submitted_at")
    list_filter = ("kind", "status")
