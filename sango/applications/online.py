"""The online application (オンライン申請) a mother fills in on マイページ, saved part by part.

It is an ordinary draft ``Application`` created by the mother herself; each part of the form
(``Step``) is saved as she finishes it, so she can stop and come back. The required documents
of the programme version are uploaded (``sango.uploads``), promised by post where the
programme allows it, or declared not to apply when their condition (``when``) does not; none
of these counts as *received* — staff still record what they hold (``documents_received``).
The online form itself stands for the paper 利用申請書, which is therefore not asked for.

A proxy (代理申請) uses the mother's account: her husband or mother signs in with it (or makes
one for her) and says 代理で申請します; the proxy's name and relation are typed, the proxy's
ID and the letter of attorney uploaded, as ``process.proxy_documents`` names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from sango.applications.models import Application
from sango.applications.services import application_create, application_submit, require_contracted
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.mothers.models import Mother
from sango.programs.rules_for import rules_on
from sango.rules import schema as s
from sango.rules.program import RuleSet
from sango.uploads.models import Upload
from sango.uploads.services import upload_remove, upload_store

Status = Application.Status
Residence = Application.Residence
MAX_QUANTITY = 99  # a bound on what is typed, not a cap of any programme


class Step(StrEnum):
    RESIDENCE = "residence"
    SERVICES = "services"
    NEEDS = "needs"
    DOCUMENTS = "documents"
    PROXY = "proxy"


class Progress(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Task:
    step: str
    progress: Progress
    optional: bool = False


def accepts_online(rules: RuleSet) -> bool:
    return rules.process.mode == "pre_application" and "online" in rules.process.channels


def application_form_name(rules: RuleSet, municipality_name: str) -> str:
    """The programme's name for its 利用申請書: the required document so named, else the name
    its change form suggests (…利用変更（中止）申請書 → …利用申請書), else
    〇〇市産後ケア事業利用申請書."""
    for document in rules.process.required_documents:
        if document.name.endswith("利用申請書"):
            return document.name
    change_form = rules.process.change_form or ""
    for pattern in ("利用変更（中止）申請書", "利用変更（中止）届"):
        if change_form.endswith(pattern):
            return change_form.removesuffix(pattern) + "利用申請書"
    return f"{municipality_name}産後ケア事業利用申請書"


def documents_to_hand_in(rules: RuleSet) -> list[s.Document]:
    """The required documents besides the application form (which the online form replaces)."""
    return [d for d in rules.process.required_documents if not d.name.endswith("利用申請書")]


def proxy_document_names(rules: RuleSet) -> tuple[str, str]:
    """(the proxy's ID, the letter of attorney) as the programme names them."""
    names = rules.process.proxy_documents
    attorney = next((n for n in names if "委任状" in n), "委任状")
    proxy_id = next((n for n in names if "委任状" not in n), "代理人の本人確認書類")
    return proxy_id, attorney


def draft_rules(application: Application) -> RuleSet:
    """A draft is filled in under the version in force today."""
    return rules_on(application.municipality.code, timezone.localdate())


def steps_for(application: Application, rules: RuleSet) -> list[str]:
    """The parts of the form this programme and this application have, in order."""
    steps = [Step.RESIDENCE]
    if rules.process.provisional_booking:
        steps.append(Step.SERVICES)
    if rules.eligibility.needs.mode == "any_of":
        steps.append(Step.NEEDS)
    if documents_to_hand_in(rules):
        steps.append(Step.DOCUMENTS)
    if application.by_proxy:
        steps.append(Step.PROXY)
    return steps


def _uploads(application: Application) -> list[Upload]:
    return list(application.uploads.all())


def document_answers(application: Application, rules: RuleSet) -> dict[str, str]:
    """Each document's answer: ``upload``, ``post``, ``not_needed`` or ``""`` (none yet)."""
    uploaded = {u.label for u in _uploads(application) if u.kind == Upload.Kind.DOCUMENT}
    answers = {}
    for document in documents_to_hand_in(rules):
        if document.name in uploaded:
            answers[document.name] = "upload"
        elif document.name in application.documents_by_post:
            answers[document.name] = "post"
        elif document.name in application.documents_not_needed:
            answers[document.name] = "not_needed"
        else:
            answers[document.name] = ""
    return answers


def _proxy_progress(application: Application) -> Progress:
    kinds = {u.kind for u in _uploads(application)}
    done = (
        application.proxy_name
        and application.proxy_id_document
        and {Upload.Kind.PROXY_ID, Upload.Kind.ATTORNEY} <= kinds
    )
    if done:
        return Progress.DONE
    started = application.proxy_name or kinds & {Upload.Kind.PROXY_ID, Upload.Kind.ATTORNEY}
    return Progress.IN_PROGRESS if started else Progress.NOT_STARTED


def tasks(application: Application, rules: RuleSet) -> list[Task]:
    """Each part of the form with how far she got (the mother's and babies' details are her
    record, done once she has one; the portal shows them first)."""
    result = []
    for step in steps_for(application, rules):
        if step == Step.DOCUMENTS:
            answers = document_answers(application, rules).values()
            progress = (
                Progress.DONE
                if all(answers)
                else Progress.IN_PROGRESS
                if any(answers)
                else Progress.NOT_STARTED
            )
        elif step == Step.PROXY:
            progress = _proxy_progress(application)
        else:
            progress = Progress.DONE if step in application.steps_done else Progress.NOT_STARTED
        result.append(Task(step=step, progress=progress, optional=step == Step.SERVICES))
    return result


def gaps(application: Application, rules: RuleSet) -> list[str]:
    """The parts still to finish before she can send it (optional parts never block)."""
    return [t.step for t in tasks(application, rules) if not t.optional and t.progress != "done"]


def _require_own_draft(application: Application, actor: Any) -> None:
    mother = application.mother
    if not (mother.user_id is not None and mother.user_id == actor.pk):
        raise ServiceError("この申請を扱う権限がありません。", code="forbidden")
    if application.status != Status.DRAFT or application.channel:
        raise ServiceError("送信した申請は変更できません。", code="invalid_state")


def _mark_done(application: Application, step: str) -> None:
    if step not in application.steps_done:
        application.steps_done = [*application.steps_done, step]


def _save(application: Application, actor: Any, step: str, fields: list[str]) -> Application:
    application.save(update_fields=[*fields, "steps_done", "updated_at"])
    # the answers are personal: the event names the part, never what was typed
    audit_record(
        actor=actor,
        action="application.online_save",
        target=application,
        application=application,
        after={"step": step},
    )
    return application


@transaction.atomic
def online_draft_start(*, actor: Any, mother: Mother, by_proxy: bool = False) -> Application:
    """Her online draft (the one she has, or a new one), with who is filling it in."""
    rules = rules_on(mother.municipality.code, timezone.localdate())
    if not accepts_online(rules):
        raise ServiceError("この市町村ではオンライン申請を受け付けていません。", code="no_online")
    if by_proxy and "proxy" not in rules.process.channels:
        raise ServiceError("この市町村では代理申請を受け付けていません。", field="by_proxy")
    draft = online_draft_of(mother)
    if draft is None:
        draft = application_create(actor=actor, mother=mother)
    _require_own_draft(draft, actor)
    draft.by_proxy = by_proxy
    return _save(draft, actor, "who", ["by_proxy"])


def online_draft_of(mother: Mother) -> Application | None:
    """Her own unsent online draft (a draft staff are entering from paper is not hers)."""
    return (
        Application.objects.filter(
            mother=mother, status=Status.DRAFT, created_by_id=mother.user_id, channel=""
        )
        .select_related("municipality", "mother", "facility")
        .prefetch_related("uploads", "mother__infants")
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def online_residence_save(
    *, application: Application, actor: Any, residence: str, home_municipality: str = ""
) -> Application:
    """お住まい: resident, or 里帰り with the municipality of her registered address."""
    _require_own_draft(application, actor)
    rules = draft_rules(application)
    home_municipality = home_municipality.strip()
    if residence not in Residence.values:
        raise ServiceError("お住まいを選んでください。", field="residence")
    if residence == Residence.TEMPORARY_RETURN:
        if not rules.eligibility.residence.temporary_return:
            raise ServiceError(
                "この市町村の制度は、里帰り中の方を対象にしていません。", field="residence"
            )
        if not home_municipality:
            raise ServiceError(
                "里帰りの方は、住民票のある市町村を入力してください。", field="home_municipality"
            )
    else:
        home_municipality = ""
    application.residence, application.home_municipality = residence, home_municipality
    _mark_done(application, Step.RESIDENCE)
    return _save(application, actor, Step.RESIDENCE, ["residence", "home_municipality"])


@transaction.atomic
def online_services_save(
    *,
    application: Application,
    actor: Any,
    requested: dict[str, int],
    facility_id: int | None,
) -> Application:
    """利用したいサービス（数量）と施設 (optional): only services of the programme."""
    _require_own_draft(application, actor)
    rules = draft_rules(application)
    for code, quantity in requested.items():
        if not rules.knows(code):
            raise ServiceError("制度にないサービスです。", field=f"service_{code}")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ServiceError(f"1から{MAX_QUANTITY}までの数で入力してください。", field=code)
    require_contracted(facility_id, application.municipality_id)
    application.requested, application.facility_id = dict(requested), facility_id
    _mark_done(application, Step.SERVICES)
    return _save(application, actor, Step.SERVICES, ["requested", "facility"])


@transaction.atomic
def online_needs_save(*, application: Application, actor: Any, needs: list[str]) -> Application:
    """あてはまる状態, among the programme's conditions; at least one where one must hold."""
    _require_own_draft(application, actor)
    conditions = draft_rules(application).eligibility.needs.conditions
    known = [c.code for c in conditions]
    if set(needs) - set(known):
        raise ServiceError("制度にない状態です。", field="needs")
    if not needs:
        raise ServiceError("あてはまるものを1つ以上選んでください。", field="needs")
    application.needs = [code for code in known if code in set(needs)]
    _mark_done(application, Step.NEEDS)
    return _save(application, actor, Step.NEEDS, ["needs"])


@transaction.atomic
def online_document_answer(
    *, application: Application, actor: Any, name: str, answer: str, file: Any = None
) -> Application:
    """One required document: ``upload`` (with ``file``), ``post`` (only where the programme
    takes it by post) or ``not_needed`` (only a document with a condition)."""
    _require_own_draft(application, actor)
    documents = {d.name: d for d in documents_to_hand_in(draft_rules(application))}
    document = documents.get(name)
    if document is None:
        raise ServiceError("制度にない書類です。", field="document")
    if answer == "upload":
        upload_store(
            actor=actor,
            mother=application.mother,
            file=file,
            kind=Upload.Kind.DOCUMENT,
            label=name,
            application=application,
        )
    elif answer == "post" and not document.by_post:
        raise ServiceError("この書類は郵送では受け付けていません。", field="file")
    elif answer == "not_needed" and not document.when:
        raise ServiceError("この書類はすべての方が提出します。", field="file")
    elif answer not in ("post", "not_needed"):
        raise ServiceError("提出の方法を選んでください。", field="file")
    by_post = [n for n in application.documents_by_post if n != name]
    not_needed = [n for n in application.documents_not_needed if n != name]
    if answer == "post":
        by_post.append(name)
    elif answer == "not_needed":
        not_needed.append(name)
    application.documents_by_post, application.documents_not_needed = by_post, not_needed
    fields = ["documents_by_post", "documents_not_needed"]
    return _save(application, actor, Step.DOCUMENTS, fields)


@transaction.atomic
def online_proxy_save(
    *,
    application: Application,
    actor: Any,
    proxy_name: str,
    proxy_relationship: str,
    proxy_id_document: str,
    proxy_id_file: Any = None,
    attorney_file: Any = None,
) -> Application:
    """代理人: name, relation and which ID document, with the ID and the letter of attorney
    uploaded (a file already uploaded need not be sent again)."""
    _require_own_draft(application, actor)
    if not application.by_proxy:
        raise ServiceError("代理申請ではありません。", code="invalid_state")
    missing = [
        (field, message)
        for field, value, message in (
            ("proxy_name", proxy_name, "代理の方の氏名を入力してください。"),
            ("proxy_relationship", proxy_relationship, "お母さんとの関係を入力してください。"),
            ("proxy_id_document", proxy_id_document, "本人確認書類の種類を入力してください。"),
        )
        if not value.strip()
    ]
    if missing:
        raise ServiceError(missing[0][1], field=missing[0][0])
    rules = draft_rules(application)
    id_name, attorney_name = proxy_document_names(rules)
    for file, kind, label, field in (
        (proxy_id_file, Upload.Kind.PROXY_ID, id_name, "proxy_id_file"),
        (attorney_file, Upload.Kind.ATTORNEY, attorney_name, "attorney_file"),
    ):
        if file is not None:
            stored = upload_store(
                actor=actor,
                mother=application.mother,
                file=file,
                kind=kind,
                label=label,
                application=application,
                field=field,
            )
            # a new ID or letter replaces the one sent before
            for replaced in application.uploads.filter(kind=kind).exclude(pk=stored.pk):
                upload_remove(upload=replaced, actor=actor)
    application.proxy_name = proxy_name.strip()
    application.proxy_relationship = proxy_relationship.strip()
    application.proxy_id_document = proxy_id_document.strip()
    fields = ["proxy_name", "proxy_relationship", "proxy_id_document"]
    return _save(application, actor, Step.PROXY, fields)


@transaction.atomic
def online_application_submit(*, application: Application, actor: Any) -> Application:
    """送信: every part finished, then 受付 online (by proxy with what the proxy uploaded)."""
    _require_own_draft(application, actor)
    rules = draft_rules(application)
    if gaps(application, rules):
        raise ServiceError("まだ終わっていない項目があります。", code="incomplete")
    proxy: dict[str, Any] = {}
    if application.by_proxy:
        id_name, _ = proxy_document_names(rules)
        kinds = {u.kind for u in _uploads(application)}
        proxy = {
            "by_proxy": True,
            "proxy_name": application.proxy_name,
            "proxy_relationship": application.proxy_relationship,
            "proxy_id_document": f"{application.proxy_id_document}（{id_name}をオンラインで提出）",
            "attorney_letter_received": Upload.Kind.ATTORNEY in kinds,
        }
    return application_submit(application=application, actor=actor, channel="online", **proxy)
