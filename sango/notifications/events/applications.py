"""Application events: received, interview recorded, decisions (approval, rejection, change,
cancellation) and a change request not approved."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sango.notifications.events import japanese, mother_account, portal_path
from sango.notifications.services import notify, staff_of_municipality


def application_received(*, application: Any, actor: Any) -> None:
    """She is told it was received; when she sent it herself (online), so is her municipality's
    staff (新しい申請) — what staff entered themselves needs no message."""
    municipality = application.municipality
    with japanese():
        notify(
            recipients=[mother_account(application.mother)],
            key=f"application:{application.pk}:received",
            subject=_("【産後ケア】申請を受け付けました"),
            body=_(
                "%(municipality)sの産後ケア事業の利用申請（申請番号 %(number)s）を"
                "受け付けました。\nこのあと、市町村から聞き取りなどのご連絡をします。"
                "結果はマイページとメールでお知らせします。"
            )
            % {"municipality": municipality.name, "number": application.pk},
            link=portal_path("my:home"),
        )
        if actor.is_municipal_staff:
            return
        notify(
            recipients=staff_of_municipality(application.municipality_id),
            key=f"application:{application.pk}:new",
            subject=_("【産後ケア】新しい申請があります"),
            body=_(
                "マイページから利用申請（申請番号 %(number)s）が届きました。"
                "受付の確認をしてください。"
            )
            % {"number": application.pk},
            link=portal_path("staff:case", application.pk),
        )


def interview_recorded(*, interview: Any) -> None:
    application = interview.application
    with japanese():
        notify(
            recipients=[mother_account(application.mother)],
            key=f"interview:{interview.pk}:recorded",
            subject=_("【産後ケア】聞き取りが終わりました"),
            body=_(
                "利用申請（申請番号 %(number)s）の聞き取りの内容を記録しました。\n"
                "このあと、利用できるかどうかを決めて、お知らせします。"
            )
            % {"number": application.pk},
            link=portal_path("my:home"),
        )


def decision_made(*, decision: Any) -> None:
    """Every numbered decision letter: approval, rejection, change, cancellation."""
    application = decision.application
    with japanese():
        texts = {
            "approval": (
                _("【産後ケア】利用が承認されました"),
                _(
                    "利用申請（申請番号 %(number)s）が承認されました（%(letter)s）。\n"
                    "利用券はマイページで見ることができます。施設の予約もマイページからできます。"
                ),
            ),
            "rejection": (
                _("【産後ケア】利用申請の結果のお知らせ"),
                _(
                    "利用申請（申請番号 %(number)s）は承認されませんでした（%(letter)s）。\n"
                    "理由は通知書に書いてあります。わからないことは市町村の担当課にお問い合わせください。"
                ),
            ),
            "change": (
                _("【産後ケア】利用の変更が承認されました"),
                _(
                    "利用申請（申請番号 %(number)s）の変更が承認されました（%(letter)s）。\n"
                    "新しい内容はマイページで確認できます。"
                ),
            ),
            "cancellation": (
                _("【産後ケア】利用の中止が決まりました"),
                _(
                    "利用申請（申請番号 %(number)s）の利用を中止しました（%(letter)s）。\n"
                    "予約は取り消されています。"
                ),
            ),
        }
        subject, body = texts[decision.kind]
        notify(
            recipients=[mother_account(application.mother)],
            key=f"decision:{decision.pk}",
            subject=subject,
            body=body % {"number": application.pk, "letter": decision.number},
            link=portal_path("my:home"),
        )


def change_request_rejected(*, change: Any) -> None:
    application = change.application
    with japanese():
        notify(
            recipients=[mother_account(application.mother)],
            key=f"change_request:{change.pk}:rejected",
            subject=_("【産後ケア】変更・中止の申請の結果のお知らせ"),
            body=_(
                "利用申請（申請番号 %(number)s）の変更・中止の申請は承認されませんでした。\n"
                "理由はマイページで確認できます。"
            )
            % {"number": application.pk},
            link=portal_path("my:change", change.pk),
        )
