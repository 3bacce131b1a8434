"""Claiming an account こども課 prepared: staff issue a one-time code for a mother registered in
the office (printed for her), and with it and her birth date she makes her マイページ account.

The code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), printed as
``ABCDE-FGHJK``; only its keyed hash is stored, so a copy of the database does not give it
away. It lasts ``VALID_FOR``, is spent once, and a wrong birth date counts against it: after
``MAX_FAILURES`` it is void and a new one must be issued. Wrong codes are throttled by the
caller (per session and address, see the view).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import Any

import jaconv
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sango.accounts.models import ClaimCode, User
from sango.accounts.roles import require_acts_for
from sango.accounts.signup import email_normalise, mail_after_commit, password_check
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.mothers.models import Mother

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
VALID_FOR = timedelta(days=60)  # long enough for a posted notice to arrive and be opened
MAX_FAILURES = 5


def _hash(code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), b"claim-code:" + code.encode(), hashlib.sha256
    ).hexdigest()


def code_normalise(typed: str) -> str:
    """What she typed, as stored: full-width to ASCII, upper case, hyphens and spaces gone."""
    text = jaconv.z2h(typed, ascii=True, digit=True, kana=False).upper()
    return "".join(ch for ch in text if ch.isalnum())


def code_format(code: str) -> str:
    """The code as printed, in two groups of five."""
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def claim_code_issue(*, mother: Mother, actor: Any) -> tuple[ClaimCode, str]:
    """A new code for ``mother`` (by staff of her municipality); earlier unspent codes are void.
    Returns the row and the code as printed — the only time the code exists in clear."""
    require_acts_for(
        actor, "登録コードは市町村の職員が発行します。", municipality_id=mother.municipality_id
    )
    if mother.user_id is not None:
        raise ServiceError(
            "この方はすでにマイページのアカウントをお持ちです。", code="invalid_state"
        )
    now = timezone.now()
    ClaimCode.objects.filter(mother=mother, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    claim = ClaimCode.objects.create(
        mother=mother, code_hash=_hash(code), issued_by=actor, expires_at=now + VALID_FOR
    )
    audit_record(
        actor=actor,
        action="account.claim_code_issue",
        target=mother,
        municipality_id=mother.municipality_id,
        after={"expires_at": claim.expires_at.isoformat()},
    )
    return claim, code_format(code)


def account_claim(*, code: str, birth_date: date, email: str, password: str) -> User:
    """Her account from a valid code and her birth date: e-mail and password set, her
    registered record linked to it, and the verification link mailed (the account is active
    once she opens it). A wrong birth date counts against the code."""
    claim = (
        ClaimCode.objects.select_related("mother")
        .filter(code_hash=_hash(code_normalise(code)))
        .first()
    )
    now = timezone.now()
    if claim is not None and claim.used_at is not None and _same_claim(claim, birth_date, email):
        return claim.mother.user  # her own claim sent again (a double tap): the same account
    usable = (
        claim is not None
        and claim.used_at is None
        and claim.expires_at > now
        and claim.failures < MAX_FAILURES
        and claim.mother.user_id is None
    )
    if not usable:
        raise ServiceError(
            "登録コードが正しくないか、期限が切れています。こども課にお問い合わせください。",
            field="code",
        )
    if claim.mother.birth_date != birth_date:
        ClaimCode.objects.filter(pk=claim.pk).update(failures=F("failures") + 1)
        raise ServiceError("生年月日が登録と合いません。", field="birth_date")
    return _claim(claim, email=email_normalise(email), password=password)


def _same_claim(claim: ClaimCode, birth_date: date, email: str) -> bool:
    user = claim.mother.user
    try:
        address = email_normalise(email)
    except ServiceError:
        return False
    return user is not None and claim.mother.birth_date == birth_date and user.email == address


@transaction.atomic
def _claim(claim: ClaimCode, *, email: str, password: str) -> User:
    claim = ClaimCode.objects.select_for_update().select_related("mother").get(pk=claim.pk)
    if claim.used_at is not None:
        raise ServiceError("この登録コードはすでに使われています。", field="code")
    if User.objects.filter(username=email).exists():
        raise ServiceError(
            "このメールアドレスはすでに登録されています。ログインしてください。", field="email"
        )
    # Not active until she opens the link mailed to the address, as after a sign-up: mail about
    # her case goes only to an address she has shown is hers.
    user = User(username=email, email=email, role=User.Role.MOTHER, is_active=False)
    password_check(password, user)
    user.set_password(password)
    user.save()
    mother = claim.mother
    mother.user = user
    mother.save(update_fields=["user"])
    claim.used_at = timezone.now()
    claim.save(update_fields=["used_at"])
    audit_record(
        actor=user, action="account.claim", target=mother, municipality_id=mother.municipality_id
    )
    mail_after_commit("verification_mail", user.pk)
    return user
