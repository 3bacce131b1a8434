"""Telling people what happened: ``notify`` writes one message per recipient and event, and
once the transaction commits queues the task that mails it (``tasks.message_mail``).

Call it inside the service that makes the event, so that a rolled-back event tells no one::

    notify(recipients=[mother.user], key=f"application:{application.pk}:received",
           subject=..., body=..., link=reverse("my:home"))

The same ``key`` for the same recipient finds the message already written: an event told
twice (a retried request, a job run again) is one message and one mail. Subjects and bodies
are built per event family in ``sango.notifications.events``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sango.accounts.models import User
from sango.notifications.models import Message


def notify(
    *, recipients: Iterable[Any], key: str, subject: str, body: str, link: str = ""
) -> list[Message]:
    """The message of event ``key`` for each recipient (users; ``None`` and duplicates are
    skipped), written if new; each new one is mailed after commit. Returns the new messages."""
    created = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    recipient=user, key=key[:120], subject=subject, body=body, link=link
                )
        except IntegrityError:
            continue  # told already: the unique (recipient, key) keeps it to one
        created.append(message)
        transaction.on_commit(lambda pk=message.pk: _queue_mail(pk))
    return created


def _queue_mail(message_id: int) -> None:
    from sango.notifications.tasks import message_mail

    message_mail.enqueue(message_id=message_id)


def staff_of_municipality(municipality_id: int) -> list[User]:
    """The active clerks and approvers of a municipality (whom 新しい申請 is for)."""
    return list(
        User.objects.filter(
            municipality_id=municipality_id,
            role__in=[User.Role.CLERK, User.Role.APPROVER],
            is_active=True,
        )
    )


def staff_of_facility(facility_id: int) -> list[User]:
    """The active staff accounts of a facility (whom a booking request is for)."""
    return list(
        User.objects.filter(facility_id=facility_id, role=User.Role.FACILITY, is_active=True)
    )


def messages_unmailed(*, older_than: timedelta) -> list[int]:
    """Ids of messages still to mail that were written more than ``older_than`` ago and have
    not used up their attempts: those whose queued task was lost (a process that stopped between
    the commit and the queueing) or whose retries ran out of time."""
    from sango.notifications.tasks import MAIL_ATTEMPTS

    return list(
        Message.objects.filter(
            mailed_at__isnull=True,
            created_at__lt=timezone.now() - older_than,
            mail_failures__lt=MAIL_ATTEMPTS,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )


def message_mark_read(*, message: Message) -> Message:
    """Her opening the message: the first time is kept."""
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
