"""Booking events: a request for the facility's staff; accepted, confirmed, declined, a place
offered from the waitlist and tomorrow's reminder for her."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sango.notifications.events import (
    day,
    japanese,
    mother_account,
    portal_path,
    service_label,
)
from sango.notifications.services import notify, staff_of_facility


def _what(booking: Any) -> dict[str, str]:
    return {
        "facility": booking.facility.name,
        "service": service_label(booking.municipality.code, booking.service, booking.start_date),
        "start": day(booking.start_date),
        "end": day(booking.end_date),
    }


def booking_requested(*, booking: Any) -> None:
    """A new request waits for the facility's answer."""
    with japanese():
        notify(
            recipients=staff_of_facility(booking.facility_id),
            key=f"booking:{booking.pk}:requested",
            subject=_("【産後ケア】新しい予約の申し込みがあります"),
            body=_(
                "%(service)s（%(start)s〜%(end)s）の予約の申し込みがありました。返事をしてください。"
            )
            % _what(booking),
            link=portal_path("facility:booking", booking.pk),
        )


def booking_moved(*, booking: Any, to: str) -> None:
    """Her booking accepted (provisional until approval), confirmed, or declined."""
    if to not in ("provisional", "confirmed", "declined"):
        return
    with japanese():
        subject, body = _moved_texts()[to]
        notify(
            recipients=[mother_account(booking.mother)],
            key=f"booking:{booking.pk}:{to}",
            subject=subject,
            body=body % _what(booking),
            link=portal_path("my:booking", booking.pk),
        )


def _moved_texts() -> dict[str, tuple[str, str]]:
    return {
        "provisional": (
            _("【産後ケア】施設が予約を受けました（仮予約）"),
            _(
                "%(facility)sが%(service)s（%(start)s〜%(end)s）の予約を受けました。\n"
                "利用が承認されると予約が確定します。"
            ),
        ),
        "confirmed": (
            _("【産後ケア】予約が確定しました"),
            _("%(facility)sの%(service)s（%(start)s〜%(end)s）の予約が確定しました。"),
        ),
        "declined": (
            _("【産後ケア】予約をお受けできませんでした"),
            _(
                "%(facility)sの%(service)s（%(start)s〜%(end)s）の予約はお受けできませんでした。\n"
                "理由と、ほかの日や施設はマイページで確認できます。"
            ),
        ),
    }


def waitlist_offered(*, entry: Any) -> None:
    """A freed place offered to her, until the offer expires."""
    with japanese():
        notify(
            recipients=[mother_account(entry.mother)],
            key=f"waitlist:{entry.pk}:offered:{entry.offered_at.isoformat()}",
            subject=_("【産後ケア】キャンセル待ちの空きが出ました"),
            body=_(
                "%(facility)sの%(service)s（%(day)s）に空きが出ました。\n"
                "%(expires)sまでにマイページから予約してください。"
            )
            % {
                "facility": entry.facility.name,
                "service": service_label(entry.municipality.code, entry.service, entry.day),
                "day": day(entry.day),
                "expires": _moment(entry.offer_expires_at),
            },
            link=portal_path("my:bookings"),
        )


def booking_reminder(*, booking: Any) -> bool:
    """The day before: one reminder per booking (True when it was written now)."""
    with japanese():
        return bool(
            notify(
                recipients=[mother_account(booking.mother)],
                key=f"booking:{booking.pk}:reminder",
                subject=_("【産後ケア】明日はご予約の日です"),
                body=_(
                    "明日（%(start)s）は%(facility)sの%(service)sのご予約の日です。\n"
                    "都合が悪くなったときは、できるだけ早く施設にご連絡ください。"
                )
                % _what(booking),
                link=portal_path("my:booking", booking.pk),
            )
        )


def _moment(value: Any) -> str:
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{day(local.date())} {local:%H:%M}"
