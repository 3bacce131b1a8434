"""What each letter says, by the kind of decision, and what a usage card shows.

``letter_for`` turns one decision into a ``Letter`` the templates lay out; ``card_for`` does the
same for a usage card. Both read only what ``sango.letters.selectors`` loaded and the rules
(``rules_on``): no query of their own, so a batch of letters costs the same queries as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from sango.applications.models import Application, Decision
from sango.core.wareki import wareki
from sango.letters import parts as p
from sango.letters.appeal import appeal_notice
from sango.letters.money import MoneyLayer, letter_money
from sango.letters.qr import qr_svg
from sango.programs.rules_for import program_for, rules_on, tier_name
from sango.rules.program import RuleSet
from sango.vouchers.models import Voucher
from sango.vouchers.services import voucher_qr_payload

SHEET_ROWS = 10  # rows of the 管理票 a facility fills in by hand


@dataclass(frozen=True)
class UsageSheet:
    """管理票: the voucher's number, holder, period and grants above empty rows."""

    number: str
    holder: str
    period: str
    grants: tuple[p.GrantLine, ...]
    rows: range = range(SHEET_ROWS)


@dataclass(frozen=True)
class Letter:
    """One decision letter; ``template`` lays out the fields its kind uses."""

    template: str
    head: p.Head
    lead: tuple[str, ...]  # the opening sentences
    office: p.Contact | None
    rows: tuple[tuple[str, str], ...] = ()  # (label, value) of the decision's table
    voucher: p.VoucherBlock | None = None
    tier: str = ""
    money: tuple[MoneyLayer, ...] = ()
    notices: tuple[str, ...] = ()
    bring: tuple[str, ...] = ()  # what to bring to the facility
    appeal: tuple[str, ...] = ()  # 教示
    sheet: UsageSheet | None = None


@dataclass(frozen=True)
class Card:
    """利用カード on an A4 page: the card to cut out, then the programme's notices."""

    title: str
    holder: str
    number: str
    qr: SafeString
    issued_on: str
    office: p.Contact | None
    validity: str
    notices: tuple[str, ...]
    bring: tuple[str, ...]


def letter_for(decision: Decision) -> Letter:
    """The letter of ``decision``, by its kind."""
    build = {
        Decision.Kind.APPROVAL: _approval,
        Decision.Kind.REJECTION: _rejection,
        Decision.Kind.CHANGE: _change,
        Decision.Kind.CANCELLATION: _cancellation,
    }[decision.kind]
    return build(decision)


def _submitted(decision: Decision) -> str:
    """The day the application (or the change request answered) was received, in 和暦."""
    change = decision.change_request
    moment = change.submitted_at if change else decision.application.submitted_at
    return wareki(p.local_day(moment)) if moment else ""


def _approval(decision: Decision) -> Letter:
    application = decision.application
    program = program_for(decision.municipality.code)
    rules = rules_on(program.code, application.valid_from)
    grants = p.application_grants(application)
    lines = p.grant_lines(rules, grants)
    facility = application.facility
    period = p.period(application.valid_from, application.valid_until)
    voucher = getattr(application, "voucher", None)
    block = _block(voucher, application, period, lines, facility.name if facility else "")
    later = [
        f"{wareki(v.effective_from)}からの利用には、その日から改正される制度の額が適用されます。"
        for v in program.versions
        if application.valid_from < v.effective_from <= application.valid_until
        and v.money != rules.money
    ]
    return Letter(
        template="letters/approval.html",
        head=p.head(decision, kind_title="利用承認通知書兼利用券"),
        lead=(
            f"{_submitted(decision)}付けで申請のあった{program.name}産後ケア事業の利用について、"
            "次のとおり承認したので通知します。",
            "この通知書は利用券を兼ねています。利用の際は、この通知書を施設に提示してください。",
        ),
        office=p.contact(application.office, rules, program),
        voucher=block,
        tier=tier_name(program.code, application.tier),
        money=_money(rules, application, grants, program.name),
        notices=(*rules.process.notices, *_contact_first(decision, rules), *later),
        bring=tuple(rules.process.bring_to_facility),
        sheet=UsageSheet(block.number, block.holder, period, lines) if block else None,
    )


def _block(
    voucher: Voucher | None,
    application: Application,
    period: str,
    lines: tuple[p.GrantLine, ...],
    facility: str,
) -> p.VoucherBlock | None:
    if voucher is None:
        return None
    return p.voucher_block(
        voucher,
        holder=p.addressee(application.mother).name,
        period_text=period,
        grants=lines,
        facility=facility,
    )


def _contact_first(decision: Decision, rules: RuleSet) -> tuple[str, ...]:
    program = program_for(decision.municipality.code)
    change = decision.change_request
    facility = (change.facility if change else None) or decision.application.facility
    return p.contact_first_lines(
        program,
        rules,
        facility_slug=facility.slug if facility else None,
        day=p.local_day(decision.decided_at),
    )


def _rejection(decision: Decision) -> Letter:
    application = decision.application
    program = program_for(decision.municipality.code)
    submitted = application.submitted_at or decision.decided_at
    rules = p.rules_on_or_first(program, p.local_day(submitted))
    head = p.head(decision, kind_title="利用不承認通知書")
    decided = p.rules_on_or_first(program, p.local_day(decision.decided_at))
    settings = p.letter_settings(decided, program)
    return Letter(
        template="letters/rejection.html",
        head=head,
        lead=(
            f"{_submitted(decision)}付けで申請のあった{program.name}産後ケア事業の利用については、"
            "次の理由により承認しないことと決定したので通知します。",
        ),
        office=p.contact(application.office, rules, program),
        rows=(("不承認の理由", decision.reason or application.rejection_reason),),
        appeal=appeal_notice(
            appeal_to=settings.appeal_to or settings.issuer,
            municipality=program.name,
            representative=settings.issuer,
        ),
    )


def _change(decision: Decision) -> Letter:
    application, change = decision.application, decision.change_request
    program = program_for(decision.municipality.code)
    rules = rules_on(program.code, application.valid_from)
    grants = p.application_grants(application)
    changed = frozenset(change.grants) if change else frozenset()
    if change:
        grants.update(change.grants)
    lines = p.grant_lines(rules, grants, changed)
    valid_until = (change.valid_until if change else None) or application.valid_until
    facility = (change.facility if change else None) or application.facility
    period = p.period(application.valid_from, valid_until)
    block = _block(
        getattr(application, "voucher", None),
        application,
        period,
        lines,
        facility.name if facility else "",
    )
    return Letter(
        template="letters/change.html",
        head=p.head(decision, kind_title="利用変更承認通知書"),
        lead=(
            f"{_submitted(decision)}付けで申請のあった{program.name}産後ケア事業の利用変更について、"
            "次のとおり承認したので通知します。",
            "利用券の内容が変わりました。利用の際は、この通知書を施設に提示してください。"
            "管理票は、これまでのものを引き続きお使いください。",
        ),
        office=p.contact(application.office, rules, program),
        rows=_change_rows(decision, period, facility.name if facility else ""),
        voucher=block,
        tier=tier_name(program.code, application.tier),
        money=_money(rules, application, grants, program.name),
        notices=_contact_first(decision, rules),
    )


def _change_rows(decision: Decision, period: str, facility: str) -> tuple[tuple[str, str], ...]:
    rows = [("変更後の利用期間", period)]
    if facility:
        rows.append(("変更後の利用施設", facility))
    change = decision.change_request
    if change and change.reason:
        rows.append(("変更の理由", change.reason))
    if decision.reason:
        rows.append(("備考", decision.reason))
    return tuple(rows)


def _money(
    rules: RuleSet, application: Application, grants: dict[str, int], municipality: str
) -> tuple[MoneyLayer, ...]:
    """The money table for her tier and the services her grants cover."""
    codes = p.granted_codes(rules, grants)
    return letter_money(rules, tier=application.tier, codes=codes, municipality=municipality)


def _cancellation(decision: Decision) -> Letter:
    application, change = decision.application, decision.change_request
    program = program_for(decision.municipality.code)
    rules = p.rules_on_or_first(program, application.valid_from or p.local_day(decision.decided_at))
    voucher = getattr(application, "voucher", None)
    stops = wareki(p.local_day(decision.decided_at))
    rows = []
    if voucher is not None:
        rows.append(("利用券番号", voucher.number))
    rows.append(("利用券が無効となる日", stops))
    if change and change.reason:
        rows.append(("中止の理由", change.reason))
    if decision.reason:
        rows.append(("備考", decision.reason))
    note = rules.process.cancellation_note
    return Letter(
        template="letters/cancellation.html",
        head=p.head(decision, kind_title="利用中止決定通知書"),
        lead=(
            f"{_submitted(decision)}付けで申請のあった{program.name}産後ケア事業の利用中止について、"
            "次のとおり決定したので通知します。",
            f"{stops}から、利用承認通知書兼利用券は無効となり、この利用券による利用はできません。",
        ),
        office=p.contact(application.office, rules, program),
        rows=tuple(rows),
        notices=(note,) if note else (),
    )


def card_for(voucher: Voucher) -> Card:
    """The usage card of ``voucher``: valid for the programme's postpartum window from the birth
    while no end date is known (a card handed out in pregnancy)."""
    program = program_for(voucher.municipality.code)
    issued = p.local_day(voucher.issued_at)
    rules = rules_on(program.code, issued)
    if voucher.valid_until:
        validity = p.period(voucher.valid_from, voucher.valid_until)
    else:
        validity = f"{rules.eligibility.postpartum_window.label()}の期間（出産の日から）"
    return Card(
        title=f"{program.name}産後ケア事業 利用カード",
        holder=p.addressee(voucher.mother).name,
        number=voucher.number,
        qr=qr_svg(voucher_qr_payload(voucher)),
        issued_on=wareki(issued),
        # The ward office that issued the card, else the issuing clerk's, else the first one.
        office=p.contact(
            getattr(voucher, "office", None) or voucher.issued_by.office, rules, program
        ),
        validity=validity,
        notices=tuple(rules.process.notices),
        bring=tuple(rules.process.bring_to_facility),
    )
