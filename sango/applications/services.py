"""The application process, one service per step (STYLE.md 5–6).

draft → submitted → interviewed → approved | rejected; approved → cancelled | expired.
Each step checks the state it may start from and the programme version in force, records who
acted and when, writes an audit event and runs in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.accounts.duties import prepared_by_decider
from sango.accounts.roles import require_acts_for, require_approver
from sango.applications.models import (
    Application,
    ChangeRequest,
    Decision,
    DocumentCounter,
    Grant,
    Interview,
    TierBasis,
)
from sango.audit.services import audit_record
from sango.core.calendar import add_business_days
from sango.core.errors import InvalidState, ServiceError
from sango.core.wareki import fiscal_year
from sango.facilities.models import Contract
from sango.mothers.models import Mother
from sango.municipalities.models import Office
from sango.notifications.events.applications import (
    application_received,
    decision_made,
    interview_recorded,
)
from sango.programs.rules_for import rules_on
from sango.rules.program import RuleSet

Status = Application.Status


def require_state(application: Application, *allowed: str, step: str) -> None:
    if application.status not in allowed:
        raise InvalidState(f"「{application.get_status_display()}」の申請は{step}できません。")


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def require_handler(actor: Any, municipality_id: int, *, mother: Mother | None = None) -> None:
    """Staff of the municipality act on its cases; a mother acts on her own (online)."""
    require_acts_for(
        actor, "この申請を扱う権限がありません。", municipality_id=municipality_id, mother=mother
    )


def require_contracted(facility_id: int | None, municipality_id: int) -> None:
    """A facility named in an application or a change must be under contract with the city."""
    if (
        facility_id is not None
        and not Contract.objects.filter(
            facility_id=facility_id, municipality_id=municipality_id, listed=True
        ).exists()
    ):
        raise ServiceError("この施設は市の委託施設ではありません。", field="facility")


def _snapshot(application: Application) -> dict[str, Any]:
    return {"status": application.status, "tier": application.tier}


@transaction.atomic
def application_create(
    *,
    actor: Any,
    mother: Mother,
    office_id: int | None = None,
    residence: str = Application.Residence.RESIDENT,
    home_municipality: str = "",
    needs: list[str] | None = None,
    requested: dict[str, int] | None = None,
    facility_id: int | None = None,
) -> Application:
    """A draft application for ``mother`` at her municipality (by staff, or by herself)."""
    require_handler(actor, mother.municipality_id, mother=mother)
    if (
        office_id is not None
        and not Office.objects.filter(
            pk=office_id, municipality_id=mother.municipality_id, active=True
        ).exists()
    ):
        raise ServiceError("この市町村の窓口ではありません。", field="office")
    require_contracted(facility_id, mother.municipality_id)
    _check_needs(mother.municipality.code, needs or [])
    if residence == Application.Residence.TEMPORARY_RETURN and not home_municipality:
        raise ServiceError(
            "里帰りの方は、お住まいの市町村を入力してください。", field="home_municipality"
        )
    application = Application.objects.create(
        municipality_id=mother.municipality_id,
        mother=mother,
        office_id=office_id,
        residence=residence,
        home_municipality=home_municipality,
        needs=needs or [],
        requested=requested or {},
        facility_id=facility_id,
        created_by=actor,
        assigned_to=actor if actor.is_municipal_staff else None,
    )
    audit_record(
        actor=actor,
        action="application.create",
        target=application,
        application=application,
        after=_snapshot(application),
    )
    return application


def _check_needs(code: str, needs: list[str]) -> None:
    """The needs declared are conditions of the programme in force today, each once."""
    known = {c.code for c in rules_on(code, timezone.localdate()).eligibility.needs.conditions}
    unknown = sorted(set(needs) - known)
    if unknown or len(needs) != len(set(needs)):
        raise ServiceError(
            f"この制度にない状態です: {', '.join(unknown) or '重複'}", field="needs", code="invalid"
        )


@transaction.atomic
def application_submit(
    *,
    application: Application,
    actor: Any,
    channel: str,
    submitted_at: datetime | None = None,
    by_proxy: bool = False,
    proxy_name: str = "",
    proxy_relationship: str = "",
    proxy_id_document: str = "",
    attorney_letter_received: bool = False,
) -> Application:
    """受付: in person, by post or online; by proxy only with the letter of attorney and ID.
    The dates she held before applying follow the application from now on."""
    from sango.bookings.services import bookings_attach_to

    application = Application.objects.select_for_update().get(pk=application.pk)
    own = application.mother if channel == Application.Channel.ONLINE else None
    require_handler(actor, application.municipality_id, mother=own)
    require_state(application, Status.DRAFT, step="受付")
    submitted_at = submitted_at or timezone.now()
    if submitted_at > timezone.now() + timedelta(minutes=10):
        raise ServiceError("受付日時が今より後になっています。", field="submitted_at")
    rules = rules_on(application.municipality.code, _local_date(submitted_at))
    process = rules.process
    if process.mode != "pre_application":
        raise ServiceError(
            "この期間は事前申請ではなく利用カード方式です（申請は不要です）。",
            code="no_application",
        )
    allowed = set(process.channels)
    if channel not in allowed or channel not in Application.Channel.values:
        raise ServiceError("この市町村ではこの方法で申請を受け付けていません。", field="channel")
    if by_proxy:
        if "proxy" not in allowed:
            raise ServiceError("この市町村では代理申請を受け付けていません。", field="by_proxy")
        if not (proxy_name and proxy_id_document and attorney_letter_received):
            raise ServiceError(
                "代理申請には、代理人の氏名・本人確認書類と委任状の受領が必要です。",
                field="attorney_letter_received",
            )
    before = _snapshot(application)
    application.status = Status.SUBMITTED
    application.channel = channel
    application.submitted_at = submitted_at
    application.by_proxy = by_proxy
    application.proxy_name = proxy_name
    application.proxy_relationship = proxy_relationship
    application.proxy_id_document = proxy_id_document
    application.attorney_letter_received = attorney_letter_received
    application.decision_due = _decision_due(rules, _local_date(submitted_at))
    application.save()
    audit_record(
        actor=actor,
        action="application.submit",
        target=application,
        application=application,
        before=before,
        after=_snapshot(application),
    )
    bookings_attach_to(application=application, actor=actor)
    application_received(application=application, actor=actor)
    return application


def _decision_due(rules: RuleSet, day: date) -> date | None:
    days = rules.process.decision_target_days
    if days is None:
        return None
    if rules.process.decision_days == "business":
        return add_business_days(day, days)
    return day + timedelta(days=days)


@transaction.atomic
def application_record_interview(
    *,
    application: Application,
    actor: Any,
    conducted_at: datetime,
    method: str,
    needs_found: list[str],
    exclusions_found: list[str] | None = None,
    assessment: str = "",
    facility_note: str = "",
) -> Interview:
    """聞き取り調査 by a public health nurse: the need conditions and exclusions found."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_handler(actor, application.municipality_id)
    require_state(application, Status.SUBMITTED, Status.INTERVIEWED, step="聞き取りの記録")
    rules = rules_on(application.municipality.code, _local_date(conducted_at))
    known_needs = {c.code for c in rules.eligibility.needs.conditions}
    unknown = set(needs_found) - known_needs
    if unknown:
        raise ServiceError(f"制度にない状態です: {', '.join(sorted(unknown))}", field="needs_found")
    known_exclusions = {c.code for c in rules.eligibility.exclusions}
    unknown = set(exclusions_found or ()) - known_exclusions
    if unknown:
        raise ServiceError(
            f"制度にない除外事由です: {', '.join(sorted(unknown))}", field="exclusions_found"
        )
    interview = Interview.objects.create(
        application=application,
        conducted_by=actor,
        conducted_at=conducted_at,
        method=method,
        needs_found=sorted(needs_found),
        exclusions_found=sorted(exclusions_found or ()),
        assessment=assessment,
        facility_note=facility_note.strip(),
    )
    before = _snapshot(application)
    application.status = Status.INTERVIEWED
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="application.interview",
        target=application,
        application=application,
        before=before,
        after={
            **_snapshot(application),
            "needs_found": interview.needs_found,
            "exclusions_found": interview.exclusions_found,
        },
    )
    interview_recorded(interview=interview)
    return interview


@transaction.atomic
def application_verify_tier(
    *, application: Application, actor: Any, tier: str, basis: str, checked_on: date | None = None
) -> Application:
    """How the household tier was established: the municipal ledger or a certificate, and on
    which day (``checked_on``, recorded in the audit event)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_handler(actor, application.municipality_id)
    require_state(
        application, Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED, step="区分の確認"
    )
    taken = application.submitted_at  # the tiers of the version the application was taken under
    rules = rules_on(
        application.municipality.code, _local_date(taken) if taken else timezone.localdate()
    )
    if tier not in rules.tier_codes:
        raise ServiceError(f"区分は {', '.join(rules.tier_codes)} のいずれかです。", field="tier")
    if basis not in TierBasis.values:
        raise ServiceError("確認方法が正しくありません。", field="tier_basis")
    before = _snapshot(application)
    application.tier, application.tier_basis = tier, basis
    application.save(update_fields=["tier", "tier_basis", "updated_at"])
    audit_record(
        actor=actor,
        action="application.verify_tier",
        target=application,
        application=application,
        before=before,
        after={
            **_snapshot(application),
            "tier_basis": basis,
            **({"checked_on": checked_on.isoformat()} if checked_on else {}),
        },
    )
    return application


def decision_issue(
    *,
    application: Application,
    actor: Any,
    kind: str,
    reason: str = "",
    change_request: ChangeRequest | None = None,
) -> Decision:
    """A numbered decision letter; numbers run per municipality and fiscal year (年度)."""
    now = timezone.now()
    year = fiscal_year(_local_date(now))
    counter, _ = DocumentCounter.objects.select_for_update().get_or_create(
        municipality_id=application.municipality_id, fiscal_year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    decision = Decision.objects.create(
        application=application,
        municipality_id=application.municipality_id,
        kind=kind,
        fiscal_year=year,
        sequence=counter.last,
        decided_by=actor,
        decided_at=now,
        reason=reason,
        change_request=change_request,
    )
    decision_made(decision=decision)
    return decision


@transaction.atomic
def application_approve(
    *,
    application: Application,
    actor: Any,
    grants: dict[str, int],
    facility_id: int | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Decision:
    """承認: grant quantities per cap, fix the period, issue the voucher, confirm bookings."""
    from sango.bookings.services import bookings_confirm_for
    from sango.vouchers.services import voucher_issue

    require_approver(actor, application.municipality_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    # An application is decided under the rules it was taken under (interview, need), even when
    # the programme changed since; the caps granted are those in force when the period starts.
    rules = rules_on(application.municipality.code, _local_date(application.submitted_at))
    interview_required = rules.process.interview is not None and rules.process.interview.required
    allowed = (
        (Status.INTERVIEWED,) if interview_required else (Status.SUBMITTED, Status.INTERVIEWED)
    )
    require_state(application, *allowed, step="承認")
    _check_approvable(application, rules)
    prepared = _prepared_by(actor, application)
    delivery = application.mother.delivery_date
    valid_from = valid_from or timezone.localdate()
    window_end = rules.eligibility.postpartum_window.last_day(delivery) if delivery else None
    valid_until = valid_until or window_end
    if valid_until is None or valid_until < valid_from:
        raise ServiceError("利用期間の終了日が正しくありません。", field="valid_until")
    if window_end is not None and valid_until > window_end:
        raise ServiceError(
            f"利用期間は{rules.eligibility.postpartum_window.label()}（{window_end.isoformat()}）"
            "までです。",
            field="valid_until",
        )
    grants_check(rules_on(application.municipality.code, valid_from), application, grants)
    before = _snapshot(application)
    application.status = Status.APPROVED
    application.decided_at = timezone.now()
    application.valid_from, application.valid_until = valid_from, valid_until
    if facility_id is not None:
        require_contracted(facility_id, application.municipality_id)
        application.facility_id = facility_id
    application.save()
    Grant.objects.filter(application=application).delete()
    Grant.objects.bulk_create(
        Grant(application=application, cap=cap, quantity=qty) for cap, qty in sorted(grants.items())
    )
    decision = decision_issue(application=application, actor=actor, kind=Decision.Kind.APPROVAL)
    voucher_issue(application=application, actor=actor)
    bookings_confirm_for(application=application, actor=actor)
    audit_record(
        actor=actor,
        action="application.approve",
        target=application,
        application=application,
        before=before,
        after={
            **_snapshot(application),
            "grants": grants,
            "decision": decision.number,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "prepared_by_decider": prepared,
        },
    )
    return decision


def _prepared_by(actor: Any, application: Application) -> bool:
    """Whether ``actor`` interviewed the mother or verified the tier (see accounts.duties)."""
    preparers = [
        *application.interviews.values_list("conducted_by_id", flat=True),
        *application.audit_events.filter(action="application.verify_tier").values_list(
            "actor_id", flat=True
        ),
    ]
    return prepared_by_decider(
        actor, preparers, "聞き取りや区分の確認をした職員は、同じ申請を決定できません。"
    )


def _check_approvable(application: Application, rules: RuleSet) -> None:
    if not application.tier or application.tier_basis == TierBasis.PENDING:
        raise ServiceError(
            "世帯の区分が確認できていません（台帳での確認か証明書の受領が必要です）。", field="tier"
        )
    interview = application.interviews.order_by("-conducted_at").first()
    if interview and interview.exclusions_found:
        raise ServiceError(
            "聞き取りで除外事由が確認されているため承認できません。", field="exclusions_found"
        )
    needs = rules.eligibility.needs
    found = set(interview.needs_found if interview else application.needs)
    if needs.mode == "any_of" and not found & {c.code for c in needs.conditions}:
        raise ServiceError("対象となる状態が確認されていません。", field="needs_found")


def grants_check(rules: RuleSet, application: Application, grants: dict[str, int]) -> None:
    if not grants:
        raise ServiceError("承認するサービスと数量を入力してください。", field="grants")
    caps = {cap.code: cap for cap in rules.caps}
    delivery = application.mother.delivery_date
    born = sum(1 for infant in application.mother.infants.all() if infant.birth_date == delivery)
    infants_born = max(born, 1)  # the latest delivery only, as the rules core counts
    for code, quantity in grants.items():
        cap = caps.get(code)
        if cap is None:
            raise ServiceError(f"制度にない上限です: {code}", field="grants")
        limit = cap.limit + cap.per_additional_infant * (infants_born - 1)
        if not 0 < quantity <= max(limit, cap.extension or 0):
            raise ServiceError(
                f"{cap.name}の数量は1から{max(limit, cap.extension or 0)}です。",
                field=f"grants.{code}",
            )


@transaction.atomic
def application_reject(*, application: Application, actor: Any, reason: str) -> Decision:
    """不承認, with the reason the letter gives; provisional bookings are released."""
    from sango.bookings.services import bookings_release_for

    require_approver(actor, application.municipality_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_state(application, Status.SUBMITTED, Status.INTERVIEWED, step="不承認に")
    if not reason.strip():
        raise ServiceError("不承認の理由を入力してください。", field="reason")
    prepared = _prepared_by(actor, application)
    before = _snapshot(application)
    application.status = Status.REJECTED
    application.decided_at = timezone.now()
    application.rejection_reason = reason
    application.save()
    decision = decision_issue(
        application=application, actor=actor, kind=Decision.Kind.REJECTION, reason=reason
    )
    bookings_release_for(application=application, actor=actor)
    audit_record(
        actor=actor,
        action="application.reject",
        target=application,
        application=application,
        before=before,
        after={
            **_snapshot(application),
            "decision": decision.number,
            "prepared_by_decider": prepared,
        },
    )
    return decision


@transaction.atomic
def applications_expire(*, today: date, actor: Any = None) -> int:
    """期間満了: approved applications whose period ended before ``today``. Returns the count."""
    from sango.vouchers.models import Voucher

    due = Application.objects.select_for_update().filter(
        status=Status.APPROVED, valid_until__lt=today
    )
    count = 0
    for application in due:
        application.status = Status.EXPIRED
        application.save(update_fields=["status", "updated_at"])
        Voucher.objects.filter(application=application).update(status=Voucher.Status.EXPIRED)
        audit_record(
            actor=actor,
            action="application.expire",
            target=application,
            application=application,
            before={"status": Status.APPROVED},
            after={"status": Status.EXPIRED},
        )
        count += 1
    return count


# --- the paper application at the counter (staff office) --------------------------------------


@transaction.atomic
def application_receive(
    *,
    actor: Any,
    mother: dict[str, Any],
    infants: list[dict[str, Any]],
    office_id: int | None,
    channel: str,
    submitted_at: datetime | None = None,
    by_proxy: bool = False,
    proxy_name: str = "",
    proxy_relationship: str = "",
    proxy_id_document: str = "",
    attorney_letter_received: bool = False,
    residence: str = Application.Residence.RESIDENT,
    home_municipality: str = "",
    requested: dict[str, int] | None = None,
    facility_id: int | None = None,
    documents_received: list[str] | None = None,
    bookings: list[dict[str, Any]] | None = None,
    existing_mother: Mother | None = None,
) -> Application:
    """A 利用申請書 entered by staff, all or nothing: the mother registered with her born infants
    (``mother`` holds mother_create's fields; an infant without ``birth_date`` is not yet born
    and is not registered) — or ``existing_mother`` when staff confirmed she is the same person —,
    the draft, its provisional bookings (facility, service, start_date, end_date; inclusive),
    受付 and the documents received. A booking's error names its row: ``bookings.0.end_date``."""
    from sango.bookings.services import booking_create
    from sango.mothers.services import mother_create

    if existing_mother is not None:
        require_handler(actor, existing_mother.municipality_id)
    born = [infant for infant in infants if infant.get("birth_date")]
    expected = [i["due_date"] for i in infants if i.get("due_date") and not i.get("birth_date")]
    registered = existing_mother or mother_create(
        actor=actor, infants=born, due_date=min(expected, default=None), **mother
    )
    application = application_create(
        actor=actor,
        mother=registered,
        office_id=office_id,
        residence=residence,
        home_municipality=home_municipality,
        requested=requested,
        facility_id=facility_id,
    )
    for index, booking in enumerate(bookings or []):
        try:
            booking_create(actor=actor, mother=registered, application=application, **booking)
        except ServiceError as error:
            field = f"bookings.{index}.{error.field or 'facility'}"
            raise ServiceError(error.message, code=error.code, field=field) from error
    application = application_submit(
        application=application,
        actor=actor,
        channel=channel,
        submitted_at=submitted_at,
        by_proxy=by_proxy,
        proxy_name=proxy_name,
        proxy_relationship=proxy_relationship,
        proxy_id_document=proxy_id_document,
        attorney_letter_received=attorney_letter_received,
    )
    if documents_received:
        application_record_documents(
            application=application, actor=actor, received=documents_received
        )
    return Application.objects.get(pk=application.pk)


def _rules_taken_under(application: Application) -> RuleSet:
    """The version an application was taken under (today's for a draft)."""
    taken = application.submitted_at
    day = _local_date(taken) if taken else timezone.localdate()
    return rules_on(application.municipality.code, day)


@transaction.atomic
def application_record_documents(
    *, application: Application, actor: Any, received: list[str]
) -> Application:
    """提出書類: the names of the programme version's required documents the office now holds
    (the others are missing); kept in the programme's order."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_handler(actor, application.municipality_id)
    require_state(
        application, Status.DRAFT, Status.SUBMITTED, Status.INTERVIEWED, step="書類の受領の記録"
    )
    documents = _rules_taken_under(application).process.required_documents
    known = [document.name for document in documents]
    unknown = set(received) - set(known)
    if unknown:
        raise ServiceError(
            f"制度にない書類です: {'、'.join(sorted(unknown))}", field="documents_received"
        )
    before = {"documents_received": application.documents_received}
    application.documents_received = [name for name in known if name in set(received)]
    application.save(update_fields=["documents_received", "updated_at"])
    audit_record(
        actor=actor,
        action="application.documents",
        target=application,
        application=application,
        before=before,
        after={"documents_received": application.documents_received},
    )
    return application


@transaction.atomic
def application_assign(*, application: Application, actor: Any, assignee: Any) -> Application:
    """担当者: an active clerk or approver of the application's municipality takes the case."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_handler(actor, application.municipality_id)
    require_state(
        application,
        Status.DRAFT,
        Status.SUBMITTED,
        Status.INTERVIEWED,
        Status.APPROVED,
        step="担当者の変更",
    )
    if not (
        assignee.is_active
        and assignee.is_municipal_staff
        and assignee.municipality_id == application.municipality_id
    ):
        raise ServiceError("この市町村の職員を選んでください。", field="assignee")
    before = {"assigned_to": application.assigned_to_id}
    application.assigned_to = assignee
    application.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        actor=actor,
        action="application.assign",
        target=application,
        application=application,
        before=before,
        after={"assigned_to": assignee.pk},
    )
    return application
