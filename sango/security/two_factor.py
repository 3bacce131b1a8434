"""The second factor (TOTP in an authenticator app, and one-time recovery codes), as policy and
services; the pages that use them are in ``sango.portals.common.two_factor``.

Municipal staff, facility staff and administrators must have one where
``SANGO_TWO_FACTOR_REQUIRED`` is on (production settings); anyone who has set one up — a
mother included, for whom it is optional — is asked for a code after the password, always.
"""

from __future__ import annotations

import base64
import re
import unicodedata

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sango.audit.services import audit_record

RECOVERY_CODES = 10
ISSUER = "Sango"
# Session key: whether the user had a second factor when the session began.
ENROLLED = "sango_second_factor"


def required_for(user) -> bool:
    """Whether ``user``'s role must use a second factor here."""
    if not settings.SANGO_TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or user.role != user.Role.MOTHER


def has_second_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def enrolled(request: HttpRequest) -> bool:
    """Whether the signed-in user has a second factor, as noted in the session at login (so
    that a page costs no query for it); a session from before the note asks once."""
    noted = request.session.get(ENROLLED)
    if noted is None:
        noted = request.session[ENROLLED] = has_second_factor(request.user)
    return noted


def note_at_login(request: HttpRequest, user) -> None:
    request.session[ENROLLED] = has_second_factor(user)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session has passed a second factor (django-otp's OTPMiddleware)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def pending_step(request: HttpRequest) -> str | None:
    """What the signed-in user must do before any other page: ``"verify"`` (type a code),
    ``"setup"`` (set a second factor up, where required) or None."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if enrolled(request):
        return "verify"
    if required_for(user):
        return "setup"
    return None


def totp_device_pending(user) -> TOTPDevice:
    """The not-yet-confirmed authenticator of ``user`` (made on first ask, kept until confirmed
    so that reloading the page does not change the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` address of ``device`` as an inline SVG QR code (no script, no style)."""
    url = device.config_url
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=ISSUER)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(re.findall(".{1,4}", key))


def normalised(code: str) -> str:
    """A typed code without spaces or hyphens, lower-cased, full-width digits made half-width."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", code or "")).lower()


@transaction.atomic
def enrol_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code: the other authenticators go, new
    recovery codes are made (returned, to be shown once) and this session counts as verified.
    None when the code is wrong."""
    if not device.verify_token(normalised(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.session[ENROLLED] = True
    audit_record(actor=device.user, action="account.two_factor_enrol", target=device.user)
    return recovery_codes_renew(device.user)


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    """Fresh recovery codes for ``user``; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit_record(actor=user, action="account.recovery_codes_renew", target=user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request: HttpRequest, code: str) -> bool:
    """Check a code from the authenticator or a recovery code; on success the session counts as
    verified. Each device throttles its own wrong codes (django-otp: growing delays)."""
    user = request.user
    typed = normalised(code)
    if not typed:
        return False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(typed):
                otp_login(request, device)
                return True
    return False


def verify_user(user, code: str) -> bool:
    """The same check for a request without a session (the API's token endpoint)."""
    typed = normalised(code)
    if not typed:
        return False
    with transaction.atomic():
        return any(
            device.verify_token(typed)
            for device in devices_for_user(user, confirmed=True, for_verify=True)
        )


@transaction.atomic
def remove(user, request: HttpRequest | None = None) -> None:
    """Stop using a second factor (only where it is not required)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit_record(actor=user, action="account.two_factor_remove", target=user)
    if request is not None:
        request.session[ENROLLED] = False
