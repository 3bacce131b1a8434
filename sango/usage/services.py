"""Recording uses at facilities: judged by the rules core under the version in force on the day
of service, counted against caps that hold under concurrency, idempotent under retries.

Concurrency: every write for one voucher first locks the voucher row (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite takes its write lock when the transaction begins). The second of two
facilities recording at the same moment waits, then sees the first use in ``used`` — so a cap
can never be exceeded. Idempotency: a (facility, key) pair is unique; a retry with the same key
and the same request returns the use already recorded, and the key reused for a different
request is refused (the digest of what was asked is kept with the use).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sango.accounts.roles import require_acts_for
from sango.applications.models import Application
from sango.audit.services import audit_event, audit_record
from sango.core.errors import InvalidState, Refused, ServiceError
from sango.core.rows import columns, insert_linked, instances
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality
from sango.programs.rules_for import program_for
from sango.rules.errors import RequestError
from sango.rules.evaluate import Result, evaluate
from sango.usage.models import Use
from sango.usage.selectors import UseDetails, use_request_for, voucher_facts
from sango.vouchers.models import Voucher


def _day_of(day: date | None, start: datetime | None) -> date:
    if day is not None:
        return day
    if start is None:
        raise ServiceError("利用日か開始日時を入力してください。", field="day")
    return timezone.localtime(start).date() if timezone.is_aware(start) else start.date()


def _digest(voucher_id: int, details: UseDetails) -> str:
    """What was asked, as a digest: the same request retried gives the same one."""
    asked = {"voucher": voucher_id, **details.__dict__}
    text = json.dumps(asked, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def use_judge(
    *,
    voucher: Voucher,
    facility: Facility | None,
    details: UseDetails,
) -> Result:
    """What the rules core says of this use now, without saving anything. Reads the mother's
    infants, the latest interview, her uses and the grants in one query (``voucher_facts``)."""
    day = _day_of(details.day, details.start)
    program = program_for(voucher.municipality.code)
    rules = program.version_on(day)
    if rules is None:
        raise ServiceError(f"{day.isoformat()}に有効な制度がありません。", field="day")
    # An expired voucher still covers the days of its period (a late record, a reimbursement);
    # only a cancelled one covers nothing more.
    if voucher.status == Voucher.Status.CANCELLED:
        raise InvalidState(
            f"この{voucher.get_kind_display()}は{voucher.get_status_display()}です。"
        )
    facts = voucher_facts(voucher)
    if facts.delivery is None:
        raise ServiceError(
            "出生日が登録されていません。先に出生を登録してください。", field="birth_date"
        )
    if day < voucher.valid_from or (voucher.valid_until is not None and day > voucher.valid_until):
        raise Refused(
            "利用日が有効期間の外です。",
            [{"code": "outside_voucher_period", "message": "利用日が有効期間の外です。"}],
        )
    request = use_request_for(
        voucher=voucher,
        rules=rules,
        details=details,
        day=day,
        facility_slug=facility.slug if facility else None,
        facts=facts,
    )
    try:
        return evaluate(program, request, explain=False)
    except RequestError as exc:
        raise ServiceError(exc.message, field=exc.field) from None


def use_record(
    *,
    voucher_id: int,
    facility: Facility | None,
    actor: Any,
    idempotency_key: str,
    service: str,
    day: date | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    quantity: int | None = None,
    infants: int = 1,
    fee: int | None = None,
    extras: int = 0,
    own_patient: bool | None = None,
    mother_present: bool = True,
    source: str = Use.Source.FACILITY,
    corrects: Use | None = None,
) -> Use:
    """Record one use. Raises ``Refused`` with every reason when the rules say no.

    A retry under the same key returns the use recorded the first time, with ``retried`` set
    (True; False on a use recorded now), so that a caller can answer it differently.

    Round trips: the mother's row lock; the voucher's, which also tells whether the key was
    used (the use is then read: a retry); what the rules read (infants, interview, her uses and
    the grants, one query); then the use with its audit event (one statement on PostgreSQL).
    A refusal by the rules comes before any write, and its transaction ends in a commit.
    """
    if not idempotency_key:
        raise ServiceError("再送キー（idempotency key）が必要です。", field="idempotency_key")
    _require_recorder(actor, facility, voucher_id)
    if _day_of(day, start) > timezone.localdate():
        raise ServiceError("まだ来ていない日の利用は記録できません。", field="day")
    details = UseDetails(
        service=service,
        day=day,
        start=start,
        end=end,
        quantity=quantity,
        infants=infants,
        fee=fee,
        extras=extras,
        own_patient=own_patient,
        mother_present=mother_present,
    )
    digest = _digest(voucher_id, details)
    try:
        with transaction.atomic():
            voucher = _lock_mother_and_voucher(
                voucher_id, facility=facility, idempotency_key=idempotency_key
            )
            # Looked up under the locks: a retry that waited behind its own original finds it.
            # For a facility the voucher's lock tells whether the key was used (no round trip
            # when it was not); a municipality's paper entry (no facility) looks it up.
            if facility is None or voucher.used_under_key is not None:
                existing = _recorded_with(facility, idempotency_key, voucher_id, digest)
                if existing is not None:
                    return _retried(existing, voucher, facility)
            try:
                result = use_judge(voucher=voucher, facility=facility, details=details)
                if not result.eligible:
                    reasons = [r.as_dict() for r in result.reasons]
                    raise Refused("この利用は助成の対象になりません。", reasons)
            except ServiceError as judged:
                refusal = judged  # raised once the transaction has ended (below)
            else:
                return _inserted(
                    voucher,
                    facility,
                    actor,
                    details,
                    result,
                    source=source,
                    idempotency_key=idempotency_key,
                    digest=digest,
                    corrects=corrects,
                )
    except IntegrityError:
        # The same key was recorded a moment ago by a request that did not queue behind this
        # one on the mother's lock — so for another mother's voucher, which is a conflict.
        existing = _recorded_with(facility, idempotency_key, voucher_id, digest)
        if existing is None:
            raise
        existing.retried = True
        return existing
    # Refused before anything was written: the transaction ended in a commit, which releases
    # the locks as a rollback would, and keeps the statements this connection has prepared
    # (psycopg deallocates every one of them on a rollback).
    raise refusal


def _inserted(
    voucher: Voucher,
    facility: Facility | None,
    actor: Any,
    details: UseDetails,
    result: Result,
    *,
    source: str,
    idempotency_key: str,
    digest: str,
    corrects: Use | None,
) -> Use:
    """The use the rules allowed, saved with its audit event: in one statement, as
    ``use.save()`` and ``audit_record()`` would write them (``sango.core.rows``)."""
    use = Use(
        voucher=voucher,
        municipality=voucher.municipality,
        facility=facility,
        source=source,
        service=result.service,
        day=_day_of(details.day, details.start),
        start=details.start,
        end=details.end,
        quantity=result.quantity,
        infants=details.infants,
        tier=voucher.tier,
        fee=result.fee,
        extras=details.extras,
        subsidy=result.subsidy,
        copay=result.copay,
        funding=[{"source": p.source, "amount": p.amount} for p in result.funding],
        counted=result.counted,
        version=result.version,
        idempotency_key=idempotency_key,
        request_digest=digest,
        corrects=corrects,
        recorded_by=actor,
    )
    event = audit_event(
        actor=actor,
        action="use.record",
        target=use,
        application=voucher.application,
        after=_figures(use),
    )
    insert_linked(use, event, "target_id")
    use.retried = False
    return use


def _recorded_with(facility: Facility | None, key: str, voucher_id: int, digest: str) -> Use | None:
    """The use already recorded under this key, if any; a key reused for another voucher or
    for a different request is a client error, not a retry."""
    recorded = Use.objects.filter(facility=facility, idempotency_key=key).order_by()
    existing = next(iter(recorded[:1]), None)  # one at most: the key is unique per facility
    if existing is None:
        return None
    if existing.voucher_id != voucher_id:
        raise ServiceError(
            "この再送キーは別の利用券の記録に使われています。",
            field="idempotency_key",
            code="idempotency_conflict",
        )
    if existing.request_digest and existing.request_digest != digest:
        raise ServiceError(
            "この再送キーは内容の違う記録に使われています。新しい記録には新しいキーを使ってください。",
            field="idempotency_key",
            code="idempotency_conflict",
        )
    return existing


def _retried(use: Use, voucher: Voucher, facility: Facility | None) -> Use:
    """``use``, found again under its key, with the rows already at hand attached."""
    use.voucher, use.municipality, use.retried = voucher, voucher.municipality, True
    if facility is not None:
        use.facility = facility
    return use


def _require_recorder(actor: Any, facility: Facility | None, voucher_id: int) -> None:
    """A facility's own staff record its uses; municipal staff of the voucher's municipality may
    enter them for a facility that reports on paper (and record reimbursements)."""
    municipality_id = None
    if actor.is_municipal_staff:  # only they are judged by the voucher's municipality
        municipality_id = (
            Voucher.objects.filter(pk=voucher_id).values_list("municipality_id", flat=True).first()
        )
    require_acts_for(
        actor,
        "この利用を記録する権限がありません。",
        municipality_id=municipality_id,
        facility_id=facility.pk if facility else None,
    )


def _figures(use: Use) -> dict[str, Any]:
    return {
        "status": use.status,
        "service": use.service,
        "day": use.day.isoformat(),
        "quantity": use.quantity,
        "fee": use.fee,
        "subsidy": use.subsidy,
        "copay": use.copay,
        "counted": use.counted,
        "funding": use.funding,
    }


def _lock_for_change(use: Use) -> Use:
    _lock_mother_and_voucher(use.voucher_id)
    use = Use.objects.select_related("voucher__application").get(pk=use.pk)
    if use.status != Use.Status.RECORDED:
        raise InvalidState("この利用記録はすでに取り消されています。")
    line = getattr(use, "claim_line", None)
    if line is not None:
        claim = line.claim
        if claim.status == claim.Status.SUBMITTED:
            raise InvalidState(
                "提出済みの委託料請求に含まれる利用は変更できません（市に差戻しを依頼してください）。"
            )
        # A line returned (返戻) on an approved claim may be corrected and claimed again later.
        if claim.locked and line.status != line.Status.REJECTED:
            raise InvalidState("承認済みの委託料請求に含まれる利用は変更できません。")
    return use


def _lock_mother_and_voucher(
    voucher_id: int, *, facility: Facility | None = None, idempotency_key: str = ""
) -> Voucher:
    """Lock the mother, then the voucher. Caps count every use of her current delivery, on
    every voucher she holds, so two facilities recording for her queue up on her row.

    Two statements in this order, before anything the caps depend on is read: under read
    committed, a statement that waited for a lock still sees the database as it was when the
    statement began, so what the holder of the lock committed is read by later statements —
    the voucher's statement included, which begins once the mother's lock is held. So it
    also reads ``used_under_key``: the id of the facility's use already recorded under
    ``idempotency_key`` (None when none is, or without a facility)."""
    mother_sql, voucher_sql = _lock_sql(type(connection.ops))
    with connection.cursor() as cursor:
        cursor.execute(mother_sql, [voucher_id])
        cursor.fetchall()
        # The voucher's statement begins once the mother's lock is held.
        cursor.execute(
            voucher_sql, [facility.pk if facility else None, idempotency_key, voucher_id]
        )
        row = cursor.fetchone()
    if row is None:
        raise Voucher.DoesNotExist("利用券が見つかりません。")
    found, municipality, application, used_under_key = instances(
        row, Voucher, Municipality, Application
    )
    found.municipality = municipality
    found.application = application if found.application_id is not None else None
    found.used_under_key = used_under_key
    return found


@cache
def _lock_sql(backend: type) -> tuple[str, str]:
    """``_lock_mother_and_voucher``' two statements, written out (the ORM's subquery costs more
    to compile than the statement takes to run) and composed once per backend: the mother's
    lock; the voucher's, with its municipality and approval (none for a usage card) and the
    key's use, if any."""
    qn = connection.ops.quote_name
    mother, voucher = qn(Mother._meta.db_table), qn(Voucher._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    mother_sql = (
        f"SELECT m.{qn('id')} FROM {mother} m WHERE m.{qn('id')} ="
        f" (SELECT v.{qn('mother_id')} FROM {voucher} v WHERE v.{qn('id')} = %s){lock}"
    )
    voucher_sql = (
        f"SELECT {columns(Voucher, 'v')}, {columns(Municipality, 'mu')},"
        f" {columns(Application, 'a')}, k.{qn('id')}"
        f" FROM {voucher} v"
        f" INNER JOIN {qn(Municipality._meta.db_table)} mu"
        f" ON mu.{qn('id')} = v.{qn('municipality_id')}"
        f" LEFT OUTER JOIN {qn(Application._meta.db_table)} a"
        f" ON a.{qn('id')} = v.{qn('application_id')}"
        # At most one: the key is unique per facility.
        f" LEFT OUTER JOIN {qn(Use._meta.db_table)} k ON k.{qn('facility_id')} = %s"
        f" AND k.{qn('idempotency_key')} = %s"
        f" WHERE v.{qn('id')} = %s"
        f"{' FOR UPDATE OF v' if lock else ''}"
    )
    return mother_sql, voucher_sql


@transaction.atomic
def use_void(*, use: Use, actor: Any, reason: str) -> Use:
    """取消: the use stays in the history with its reason and no longer counts."""
    if not reason.strip():
        raise ServiceError("取消の理由を入力してください。", field="reason")
    require_acts_for(
        actor,
        "この利用記録を取り消す権限がありません。",
        municipality_id=use.municipality_id,
        facility_id=use.facility_id,
    )
    use = _lock_for_change(use)
    use.status = Use.Status.VOID
    use.void_reason, use.voided_by, use.voided_at = reason, actor, timezone.now()
    use.save(update_fields=["status", "void_reason", "voided_by", "voided_at"])
    audit_record(
        actor=actor,
        action="use.void",
        target=use,
        application=use.voucher.application,
        before={"status": Use.Status.RECORDED},
        after={"status": use.status},
    )
    return use


@transaction.atomic
def use_correct(*, use: Use, actor: Any, reason: str, **changes: Any) -> Use:
    """訂正: void ``use`` and record its corrected form, which ``corrects`` it. Fields not in
    ``changes`` are kept. The correction is judged afresh (caps without the old use)."""
    old = _lock_for_change(use)
    fields = {
        "service": old.service,
        "day": old.day,
        "start": old.start,
        "end": old.end,
        "quantity": None if old.start else old.quantity,
        "infants": old.infants,
        "fee": old.fee,
        "extras": old.extras,
    }
    if "start" in changes and "day" not in changes:
        fields["day"] = None  # the day of service follows the corrected start
    fields.update(changes)
    use_void(use=old, actor=actor, reason=reason)
    return use_record(
        voucher_id=old.voucher_id,
        facility=old.facility,
        actor=actor,
        idempotency_key=f"correct:{old.pk}",
        source=old.source,
        corrects=old,
        **fields,
    )
