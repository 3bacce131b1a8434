"""Mailing messages in the background (``sango db_worker``): at most once per message.

``message_mail`` locks the message, sends only if it was not mailed yet and marks it mailed in
the same transaction, so a task run twice (a retried job, a second worker) sends one mail.
django-tasks does not retry a failed task by itself: on a failure the task counts it and queues
itself again after a growing delay, up to ``MAIL_ATTEMPTS``; ``sango mail_unsent`` (run by cron
every few minutes) queues again what was never queued. Logs name messages by id only.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from sango.notifications.models import Message

logger = logging.getLogger(__name__)

MAIL_ATTEMPTS = 5
# Waits before the 2nd, 3rd … attempt: a mail server down for a few minutes or an hour.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)


def mail_text(message: Message) -> str:
    """The mail: the message's text and where to read it (her message page, or the staff
    member's page of the case), nothing more."""
    user = message.recipient
    if user.role == user.Role.MOTHER:
        path = reverse("my:message", args=[message.pk])
    else:
        path = message.link or "/"
    with translation.override("ja"):
        footer = _("このメールは送信専用です。お問い合わせはお住まいの市町村の担当課へどうぞ。")
    return f"{message.body}\n\n{settings.SANGO_SITE_URL}{path}\n\n{footer}\n"


def deliverable(message: Message) -> bool:
    """Mail only to an active account with an address (an unverified sign-up is inactive)."""
    return bool(message.recipient.email) and message.recipient.is_active


@task()
def message_mail(message_id: int) -> bool:
    """Mail the message unless mailed already; True when this run sent it."""
    try:
        return _send(message_id)
    except Exception:
        failures = _count_failure(message_id)
        logger.warning("message %s: mail failed (attempt %s)", message_id, failures)
        if failures < MAIL_ATTEMPTS:
            delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]
            message_mail.using(run_after=timezone.now() + delay).enqueue(message_id=message_id)
        raise


def _send(message_id: int) -> bool:
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.mailed_at is not None or not deliverable(message):
            return False
        send_mail(
            message.subject,
            mail_text(message),
            None,
            [message.recipient.email],
        )
        message.mailed_at = timezone.now()
        message.save(update_fields=["mailed_at"])
    return True


def _count_failure(message_id: int) -> int:
    Message.objects.filter(pk=message_id).update(mail_failures=F("mail_failures") + 1)
    return (
        Message.objects.filter(pk=message_id).values_list("mail_failures", flat=True).first() or 0
    )
