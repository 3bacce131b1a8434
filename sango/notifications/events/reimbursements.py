"""Out-of-area reimbursement events: her claim approved (with the amount) or not."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sango.notifications.events import day, japanese, mother_account, portal_path
from sango.notifications.services import notify


def reimbursement_decided(*, reimbursement: Any) -> None:
    mother = reimbursement.voucher.mother
    approved = reimbursement.status == "approved"
    with japanese():
        if approved:
            subject = _("【産後ケア】費用の請求が認められました")
            body = _(
                "%(day)sに%(facility)sで利用した分の請求が認められました。支給額は%(amount)s円です。\n"
                "お支払いの日はマイページで確認できます。"
            ) % {
                "day": day(reimbursement.day),
                "facility": reimbursement.facility_name,
                "amount": f"{reimbursement.amount or 0:,}",
            }
        else:
            subject = _("【産後ケア】費用の請求の結果のお知らせ")
            body = _(
                "%(day)sに%(facility)sで利用した分の請求は認められませんでした。\n"
                "理由はマイページで確認できます。"
            ) % {"day": day(reimbursement.day), "facility": reimbursement.facility_name}
        notify(
            recipients=[mother_account(mother)],
            key=f"reimbursement:{reimbursement.pk}:{reimbursement.status}",
            subject=subject,
            body=body,
            link=portal_path("my:reimburse"),
        )
