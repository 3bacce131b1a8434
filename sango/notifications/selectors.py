"""Reading messages: a person sees only the messages written to them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sango.notifications.models import Message


def messages_of(user: Any) -> QuerySet[Message]:
    """Her messages, newest first (the body left out: lists show the subject)."""
    return Message.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
