"""Reading the audit trail per case and per account."""

from __future__ import annotations

from django.db.models import QuerySet

from sango.audit.models import AuditEvent


def audit_for_application(*, application_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(application_id=application_id).select_related("actor")


def audit_for_actor(*, actor_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor_id=actor_id).select_related("actor")
