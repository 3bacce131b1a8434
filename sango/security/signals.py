"""Receivers: a login starts its session's clocks and is recorded; a logout forgets it; a new
password ends the user's API tokens (Django already ends the other sessions, whose stored
password hash no longer matches)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import AuthToken

from sango.security import two_factor
from sango.security.models import SessionRecord
from sango.security.sessions import session_started

User = get_user_model()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request, user)
        two_factor.note_at_login(request, user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SessionRecord.objects.filter(session_key=key).delete()


@receiver(pre_save, sender=User)
def _note_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        instance._sango_password_changed = False
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._sango_password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User)
def _end_tokens_on_password_change(sender, instance, created, **kwargs) -> None:
    if getattr(instance, "_sango_password_changed", False):
        AuthToken.objects.filter(user=instance).delete()
        instance._sango_password_changed = False
