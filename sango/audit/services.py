"""Recording audit events. Services call ``audit_record`` inside their transaction, so an event
exists exactly when the change it describes was committed."""

from __future__ import annotations

from typing import Any

from django.db import models

from sango.audit.models import AuditEvent
from sango.core.rows import insert


def audit_record(**event: Any) -> AuditEvent:
    """Add one event: ``action`` (``application.approve`` ...) by ``actor`` on ``target``, with
    the keywords of ``audit_event``.

    ``before`` and ``after`` hold states and figures (yen, quantities), never personal data.
    """
    # Written with ``rows.insert``: every change of every case writes one, the busiest inserts
    # of the site (a use recorded among them).
    return insert(audit_event(**event))


def audit_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    application: models.Model | None = None,
    municipality_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """The event ``audit_record`` adds, unsaved: for a new ``target`` saved with it
    (``rows.insert_linked(target, event, "target_id")``), the event names it once it has a key.
    """
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        application=application,
        municipality_id=municipality_id or getattr(target, "municipality_id", None),
        before=before or {},
        after=after or {},
    )
