"""The 利用申請書 pre-filled from マイページ, for a programme that takes applications only at
the counter or by post: her details and her babies printed, blanks (and boxes to tick) for
what she writes by hand — the date, her signature, where she stays, the services and the
state of need in the programme's words — with the documents to attach and the offices that
take it. A4, Japanese, named as the programme names its form."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from sango.applications.online import application_form_name, documents_to_hand_in
from sango.core.wareki import wareki
from sango.letters.render import html_to_pdf
from sango.mothers.models import Mother
from sango.rules import schema as s
from sango.rules.program import Program, RuleSet


@dataclass(frozen=True)
class ApplicationForm:
    title: str
    addressee: str  # 総社市長 様
    municipality: str
    name: str
    name_kana: str
    birth_date: str  # 和暦
    postal_code: str
    address: str
    phone: str
    infants: list[str]  # each baby's birth date in 和暦
    due_date: str
    temporary_return: bool  # the programme takes 里帰り mothers: ask where she stays
    services: list[str]
    needs: list[str]
    proxy: bool
    proxy_documents: list[str]
    documents: list[s.Document]
    offices: list[s.Office]
    notices: list[str]


def form_for(*, mother: Mother, rules: RuleSet, program: Program) -> ApplicationForm:
    """The figures of the form; dates already in 和暦."""
    issuer = rules.process.letters.issuer if rules.process.letters else f"{program.name}長"
    offices = {office.code: office for office in program.document.offices}
    return ApplicationForm(
        title=application_form_name(rules, program.name),
        addressee=issuer,
        municipality=program.name,
        name=mother.name,
        name_kana=mother.name_kana,
        birth_date=wareki(mother.birth_date),
        postal_code=mother.postal_code,
        address=mother.address,
        phone=mother.phone,
        infants=[wareki(infant.birth_date) for infant in mother.infants.all()],
        due_date=wareki(mother.due_date) if mother.due_date else "",
        temporary_return=rules.eligibility.residence.temporary_return,
        services=[service.name for service in rules.services.values()],
        needs=[c.label for c in rules.eligibility.needs.conditions],
        proxy="proxy" in rules.process.channels,
        proxy_documents=list(rules.process.proxy_documents),
        documents=documents_to_hand_in(rules),
        offices=[offices[code] for code in rules.process.offices if code in offices],
        notices=list(rules.process.notices),
    )


def application_form_pdf(*, mother: Mother, rules: RuleSet, program: Program) -> bytes:
    """The pre-filled 申請書 as a PDF. Load the mother with her infants (``prefetch_related``)."""
    with translation.override("ja"):
        html = render_to_string(
            "letters/application_form.html",
            {"form": form_for(mother=mother, rules=rules, program=program)},
        )
    return html_to_pdf(html)
