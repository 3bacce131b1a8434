"""What-if (試算): a draft programme document checked, and a period of stored uses replayed.

The Django side of ``sango.rules.replay``: reading the draft from the text staff typed or
uploaded, and loading the uses, births, approvals and interviews the replay needs as plain
tuples (``values_list`` over a server-side cursor on PostgreSQL; no model instances). A replay
writes nothing: a draft never changes real data. The one write here is keeping a draft
(``whatif_draft_save``) to run it again.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from pathlib import Path

import yaml
from django.db import connection, transaction
from django.db.models import DateTimeField, F, QuerySet, Subquery, Value
from django.utils import timezone

from sango.accounts.models import User
from sango.applications.models import Application, Grant, Interview
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.facilities.models import Facility
from sango.mothers.models import Infant
from sango.municipalities.models import Municipality
from sango.programs.models import WhatIfDraft
from sango.programs.rules_for import program_for
from sango.rules.batch import without_cycle_collection
from sango.rules.errors import Problem, ProgramError
from sango.rules.loader import program_from_data
from sango.rules.program import Program
from sango.rules.replay import Approval, PastUse, reads_times
from sango.rules.replay_summary import Summary, replay
from sango.usage.models import Use

DRAFT_NAME = "試算の制度文書"  # what the draft's problems name as their file
_CHUNK = 20_000  # rows fetched per round trip from the server-side cursor


@dataclass(frozen=True)
class WhatIf:
    """A replay's figures with what it read and how long each step took (seconds)."""

    summary: Summary
    date_from: date
    date_to: date
    seconds: float


def current_document_text(municipality_code: str) -> str:
    """The programme document in force for the municipality, as written (comments kept)."""
    return Path(program_for(municipality_code).path).read_text(encoding="utf-8")


def draft_check(text: str, *, municipality_code: str) -> Program:
    """The draft compiled, or ``ProgramError`` with every problem, each with its line where the
    text shows it. A draft must be the municipality's own programme."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}行目" if mark else "-"
        raise ProgramError([Problem(DRAFT_NAME, where, f"YAMLとして読めません: {exc}")]) from exc
    try:
        program = program_from_data(raw, DRAFT_NAME)
    except ProgramError as exc:
        lines = _line_finder(text)
        raise ProgramError(
            [Problem(p.file, lines(p.field), p.message) for p in exc.problems]
        ) from exc
    if program.code != municipality_code:
        name = Municipality.objects.get(code=municipality_code).name
        raise ProgramError(
            [
                Problem(
                    DRAFT_NAME,
                    lines_of(text, "municipality.code"),
                    f"{name}（{municipality_code}）の制度文書で試算してください",
                )
            ]
        )
    return program


def lines_of(text: str, path: str) -> str:
    """``path`` (dotted, as the loader names fields) with the line it starts on, when found."""
    return _line_finder(text)(path)


def _line_finder(text: str) -> Callable[[str], str]:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        root = None

    def find(path: str) -> str:
        """The line of the field, or of the nearest enclosing one that is written (a missing
        field is reported where its parent starts)."""
        node, line = root, None
        for part in path.split("."):
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit():
                items = node.value
                node = items[int(part)] if int(part) < len(items) else None
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return path if line is None else f"{line}行目 {path}"

    return find


def draft_with_cap_limit(text: str, *, cap: str, limit: int) -> str:
    """``text`` with the last version's ``cap`` limit changed: a one-number edit that keeps every
    comment (e.g. 総社市 宿泊 7泊 → 10泊). Raises ``ValueError`` when no such cap is written in
    the flow style the shipped documents use."""
    found = list(re.finditer(rf"\{{code: {re.escape(cap)},[^}}\n]*?limit: (\d+)", text))
    if not found:
        raise ValueError(f"上限 {cap} が見つかりません")
    number = found[-1].span(1)
    return f"{text[: number[0]]}{limit}{text[number[1] :]}"


def soja_ten_nights_draft() -> str:
    """The demo's prepared draft: 総社市 with 10 nights of 宿泊 instead of 7."""
    return draft_with_cap_limit(current_document_text("332089"), cap="stay", limit=10)


def whatif_draft_save(*, actor: User, name: str, text: str) -> WhatIfDraft:
    """Keep a valid draft of the actor's municipality under ``name``; ``ProgramError`` when the
    draft does not validate (nothing is kept)."""
    code = actor.municipality.code
    draft_check(text, municipality_code=code)
    if not name.strip():
        raise ServiceError("案の名前を入力してください。", field="name")
    with transaction.atomic():
        draft = WhatIfDraft.objects.create(
            municipality=actor.municipality, name=name.strip(), document=text, created_by=actor
        )
        audit_record(
            actor=actor,
            action="whatif.save",
            target=draft,
            municipality_id=actor.municipality_id,
            after={"name": draft.name},
        )
    return draft


def whatif_drafts_visible_to(user: User) -> QuerySet[WhatIfDraft]:
    """The saved drafts of the user's municipality, newest first."""
    return WhatIfDraft.objects.filter(municipality_id=user.municipality_id).select_related(
        "created_by"
    )


def whatif_demo_draft(*, actor: User) -> WhatIfDraft:
    """The demo's prepared draft for 総社市: 宿泊 10 nights instead of 7."""
    return whatif_draft_save(actor=actor, name="宿泊を10泊に（案）", text=soja_ten_nights_draft())


def whatif_run(
    *, municipality: Municipality, draft: Program, date_from: date, date_to: date
) -> WhatIf:
    """Replay the municipality's uses from ``date_from`` to ``date_to`` (inclusive) under
    ``draft``; earlier uses of the same births count towards the caps only."""
    began = time.perf_counter()
    actual = program_for(municipality.code)
    uses = past_uses(
        municipality=municipality,
        date_from=date_from,
        date_to=date_to,
        earliest=date_from - _longest_window(draft, actual, date_from),
        with_times=reads_times(draft),
    )
    with without_cycle_collection():  # the rows loaded are as many small objects as uses
        summary = replay(draft, actual, uses)
    return WhatIf(summary, date_from, date_to, time.perf_counter() - began)


def _longest_window(draft: Program, actual: Program, day: date) -> timedelta:
    """How far before the period a use of the same birth can lie: the longest programme window
    of either document (a birth's uses all fall inside its window)."""
    spans = [
        rules.eligibility.postpartum_window.last_day(day) - day
        for program in (draft, actual)
        for rules in program.versions
    ]
    return max(spans)


def past_uses(
    *,
    municipality: Municipality,
    date_from: date,
    date_to: date,
    earliest: date,
    with_times: bool = True,
) -> Iterator[PastUse]:
    """The recorded uses of mothers with a use in the period, in the order they happened, from
    ``earliest`` (for the caps) to ``date_to``; those before ``date_from`` are not reported.
    Without ``with_times`` the start and end are not read (the draft judges by days only)."""
    no_time = Value(None, output_field=DateTimeField())
    in_period = (
        Use.objects.filter(
            municipality=municipality, status=Use.Status.RECORDED, day__range=(date_from, date_to)
        )
        .order_by()  # a set of mothers: without the model's ordering, nothing to sort
        .values("voucher__mother_id")
    )
    rows = (
        Use.objects.filter(
            municipality=municipality,
            status=Use.Status.RECORDED,
            day__range=(earliest, date_to),
            voucher__mother_id__in=Subquery(in_period),
        )
        .order_by("day", "id")
        .annotate(start_read=F("start") if with_times else no_time)
        .annotate(end_read=F("end") if with_times else no_time)
        .values_list(
            "voucher__mother_id",
            "voucher__application_id",
            "day",
            "service",
            "quantity",
            "start_read",
            "end_read",
            "infants",
            "tier",
            "fee",
            "facility_id",
            "subsidy",
            "copay",
        )
    )
    births = _births(municipality)
    approvals = _approvals(municipality)
    # Facilities by id in Python: a join would look one up per use.
    slugs = dict(Facility.objects.values_list("id", "slug"))
    local = timezone.get_current_timezone()
    with transaction.atomic():
        _roomy_sort()
        yield from _read(rows, births, approvals, slugs, local, date_from)


def _roomy_sort() -> None:
    """On PostgreSQL, let this transaction sort a period's uses in memory (the default work_mem
    spills a year of a city's uses to disk), plan for reading every row, and skip JIT compiling
    a plan that runs once."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        # Every row is read: plan for all of them, not for a quick first chunk of the cursor.
        cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")


def _read(
    rows: QuerySet,
    births: dict[int, list[tuple[date, int, date | None]]],
    approvals: dict[int, Approval],
    slugs: dict[int, str],
    local: tzinfo,
    date_from: date,
) -> Iterator[PastUse]:
    new = tuple.__new__  # a NamedTuple built from a tuple in C, without its Python __new__
    for row in rows.iterator(_CHUNK):
        (mother, application, day, service, quantity, start, end, infants, tier, fee, facility,
         subsidy, copay) = row  # fmt: skip
        found = births.get(mother)
        if found is None:
            continue  # no birth on record: nothing to count the use from
        birth = found[0] if len(found) == 1 else _birth_of(found, day)
        if birth is None or birth[0] > day:
            continue  # no birth on record before the use
        if start is not None:
            start = start.astimezone(local).replace(tzinfo=None)
            end = end.astimezone(local).replace(tzinfo=None)
        yield new(
            PastUse,
            (mother, day, service, quantity, tier, fee, birth[0], subsidy, copay, start, end,
             infants, birth[1], slugs.get(facility), birth[2], approvals.get(application),
             day >= date_from),
        )  # fmt: skip


def _births(municipality: Municipality) -> dict[int, list[tuple[date, int, date | None]]]:
    """Per mother, her births in order: (day, infants born that day, latest due date)."""
    found: dict[int, dict[date, list]] = {}
    infants = Infant.objects.filter(mother__municipality=municipality).order_by()
    for mother, born, due in infants.values_list("mother_id", "birth_date", "due_date"):
        birth = found.setdefault(mother, {}).setdefault(born, [0, None])
        birth[0] += 1
        if due is not None and (birth[1] is None or due > birth[1]):
            birth[1] = due
    return {
        mother: [(born, n, due) for born, (n, due) in sorted(days.items())]
        for mother, days in found.items()
    }


def _birth_of(
    births: list[tuple[date, int, date | None]], day: date
) -> tuple[date, int, date | None] | None:
    """The birth a use belongs to: the latest on or before its day."""
    index = bisect_right(births, (day, 1 << 30)) - 1
    return births[index] if index >= 0 else None


def _approvals(municipality: Municipality) -> dict[int, Approval]:
    """Per application: its grants, the latest interview's needs and exclusions, the residence.
    Equal approvals share one object (most mothers are granted the same)."""
    grants: dict[int, list[tuple[str, int]]] = {}
    granted = Grant.objects.filter(application__municipality=municipality).order_by()
    for application, cap, quantity in granted.values_list("application_id", "cap", "quantity"):
        grants.setdefault(application, []).append((cap, quantity))
    interviews: dict[int, tuple] = {}
    found = Interview.objects.filter(application__municipality=municipality)
    for application, needs, exclusions in found.order_by("conducted_at").values_list(
        "application_id", "needs_found", "exclusions_found"
    ):
        interviews[application] = (frozenset(needs), frozenset(exclusions))
    residences = Application.objects.filter(municipality=municipality).order_by()
    shared: dict[Approval, Approval] = {}
    approvals = {}
    for application, residence in residences.values_list("id", "residence"):
        needs, exclusions = interviews.get(application, (None, frozenset()))
        approval = Approval(
            tuple(sorted(grants.get(application, ()))), needs, exclusions, residence
        )
        approvals[application] = shared.setdefault(approval, approval)
    return approvals
