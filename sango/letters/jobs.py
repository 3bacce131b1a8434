"""Batch printing as a background task: ``print_job_request`` records the job and queues
``print_job_run``, which the task worker (``sango db_worker``) renders into one PDF."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sango.accounts import access
from sango.accounts.models import User
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.letters.models import PrintJob
from sango.letters.render import letters_pdf
from sango.letters.selectors import decisions_issued_on

logger = logging.getLogger(__name__)


def printable_decisions(user: Any, day: date):
    """The letters of ``day`` that ``user`` may see (their municipality, and office if posted)."""
    visible = access.applications_visible_to(user)
    return decisions_issued_on(municipality_id=user.municipality_id, day=day).filter(
        application__in=visible
    )


@transaction.atomic
def print_job_request(*, actor: Any, day: date) -> PrintJob:
    """Queue one PDF of every letter issued on ``day``; refused when there are none."""
    if not getattr(actor, "is_municipal_staff", False):
        raise ServiceError("一括印刷は市町村の職員が行います。", code="forbidden")
    count = printable_decisions(actor, day).count()
    if count == 0:
        raise ServiceError("この日に発行した通知書はありません。", field="day")
    job = PrintJob.objects.create(
        municipality_id=actor.municipality_id, requested_by=actor, day=day, letters=count
    )
    # The database backend stores the task in this transaction: it runs once the job exists.
    print_job_run.enqueue(job_id=job.pk)
    audit_record(
        actor=actor,
        action="letters.print",
        target=job,
        after={"day": day.isoformat(), "letters": count},
    )
    return job


@task()
def print_job_run(job_id: int) -> int:
    """Render the job's letters into one PDF; returns the number of letters printed."""
    job = PrintJob.objects.select_related("requested_by").get(pk=job_id)
    requester = User.objects.select_related("municipality").get(pk=job.requested_by_id)
    decisions = list(printable_decisions(requester, job.day))
    try:
        job.pdf = letters_pdf(decisions)
    except Exception:
        # Logged by id only (letters hold personal data); the page offers to try again.
        logger.exception("print job %s failed", job.pk)
        job.status = PrintJob.Status.FAILED
    else:
        job.status, job.letters = PrintJob.Status.DONE, len(decisions)
    job.finished_at = timezone.now()
    job.save(update_fields=["pdf", "status", "letters", "finished_at"])
    return job.letters


def print_jobs_for(user: Any):
    """The user's municipality's recent print jobs (without their PDFs)."""
    return PrintJob.objects.filter(municipality_id=user.municipality_id).defer("pdf")
