"""What the apply pages of マイページ read, gathered once per request: her record, the
programme version in force today for her municipality, how it takes applications, her
online draft and how far it got — every code turned into the programme's own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from sango.accounts.access import applications_visible_to, uploads_visible_to
from sango.applications import online
from sango.applications.models import Application
from sango.core.errors import ServiceError
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality
from sango.portals.my.selectors import mother_of
from sango.programs.rules_for import program_for
from sango.rules import schema as s
from sango.rules.program import Program, RuleSet
from sango.uploads.models import Upload

Status = Application.Status
OPEN = (Status.SUBMITTED, Status.INTERVIEWED, Status.APPROVED)


@dataclass
class ApplyState:
    """Where she stands: ``kind`` is ``online``, ``paper``, ``usage_card``, ``sent`` (an
    application already handed in) or ``no_rules``."""

    mother: Mother
    kind: str
    program: Program | None = None
    rules: RuleSet | None = None
    draft: Application | None = None
    sent: Application | None = None
    tasks: list[online.Task] = field(default_factory=list)

    @property
    def offices(self) -> list[s.Office]:
        """The offices that take applications, with address and phone from the document."""
        if not (self.program and self.rules):
            return []
        wanted = self.rules.process.offices
        known = {office.code: office for office in self.program.document.offices}
        return [known[code] for code in wanted if code in known]

    @property
    def documents(self) -> list[s.Document]:
        """What she hands in besides the form itself."""
        return online.documents_to_hand_in(self.rules) if self.rules else []

    @property
    def form_name(self) -> str:
        return online.application_form_name(self.rules, self.mother.municipality.name)

    @property
    def ready(self) -> bool:
        return self.draft is not None and not online.gaps(self.draft, self.rules)


def apply_state(user: Any) -> ApplyState | None:
    """None before she has given her details (the view sends her to them)."""
    mother = mother_of(user)
    if mother is None:
        return None
    sent = (
        applications_visible_to(user)
        .filter(mother=mother, status__in=OPEN)
        .order_by("-submitted_at")
        .first()
    )
    if sent is not None:
        return ApplyState(mother=mother, kind="sent", sent=sent)
    try:
        program = program_for(mother.municipality.code)
    except ServiceError:
        return ApplyState(mother=mother, kind="no_rules")
    rules = program.version_on(timezone.localdate())
    if rules is None:
        return ApplyState(mother=mother, kind="no_rules", program=program)
    state = ApplyState(mother=mother, kind="paper", program=program, rules=rules)
    if rules.process.mode == "usage_card":
        state.kind = "usage_card"
    elif online.accepts_online(rules):
        state.kind = "online"
        state.draft = online.online_draft_of(mother)
        if state.draft is not None:
            state.tasks = online.tasks(state.draft, rules)
    return state


def online_state(user: Any) -> ApplyState:
    """The state of a page inside the online form: 404 unless she has a draft to work on."""
    state = apply_state(user)
    if state is None or state.kind != "online" or state.draft is None:
        raise Http404
    return state


def municipality_choices() -> list[tuple[int, str]]:
    """Every municipality whose programme Sango runs, for her to pick hers."""
    return [(m.pk, m.name) for m in Municipality.objects.order_by("code")]


def facility_choices(municipality_id: int) -> list[tuple[int, str]]:
    """The facilities listed under contract with her municipality."""
    facilities = Facility.objects.filter(
        contracts__municipality_id=municipality_id, contracts__listed=True
    ).order_by("name")
    return [(f.pk, f.name) for f in facilities]


def submitted_for(user: Any, pk: int) -> tuple[Application, RuleSet]:
    """Her handed-in application and the version it was taken under, or 404."""
    application = (
        applications_visible_to(user)
        .exclude(status=Status.DRAFT)
        .select_related("municipality", "mother", "office")
        .prefetch_related("uploads")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    day = timezone.localtime(application.submitted_at).date()
    rules = program_for(application.municipality.code).version_on(day)
    return application, rules


def upload_for(user: Any, pk: int) -> Upload:
    """A file she may see (her own; staff's through their own door), or 404."""
    upload = uploads_visible_to(user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    return upload
