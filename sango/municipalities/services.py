"""Loading programme documents into the database: municipalities, offices, facilities and
contracts, and a revision per distinct document text. Re-loading a changed document updates
the rows in place and keeps every earlier revision; nothing is deleted. Loading a document also
makes the kept programme pages of its municipality a miss (``sango.programs.cache``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sango.facilities.models import Contract, Facility
from sango.municipalities.models import Municipality, Office, ProgramRevision
from sango.programs.cache import programme_invalidate
from sango.rules.loader import Registry
from sango.rules.program import Program


@dataclass
class SyncSummary:
    municipality: str
    new_revision: bool
    facilities: int
    offices: int


def programmes_sync(*, registry: Registry) -> list[SyncSummary]:
    """Bring the database in line with every programme in ``registry``."""
    return [program_sync(program=program) for program in registry]


@transaction.atomic
def program_sync(*, program: Program) -> SyncSummary:
    ident = program.document.municipality
    municipality, _ = Municipality.objects.update_or_create(
        code=ident.code, defaults={"name": ident.name, "prefecture": ident.prefecture}
    )
    content = Path(program.path).read_text(encoding="utf-8")
    digest = hashlib.sha256(content.encode()).hexdigest()
    _, new_revision = ProgramRevision.objects.get_or_create(
        municipality=municipality,
        sha256=digest,
        defaults={"path": program.path, "content": content},
    )
    office_codes = []
    for office in program.document.offices:
        office_codes.append(office.code)
        Office.objects.update_or_create(
            municipality=municipality,
            code=office.code,
            defaults={
                "name": office.name,
                "postal_code": office.postal_code or "",
                "address": office.address,
                "phone": office.phone,
                "active": True,
            },
        )
    municipality.offices.exclude(code__in=office_codes).update(active=False)
    listed = []
    for entry in program.document.facilities:
        facility, _ = Facility.objects.update_or_create(
            slug=entry.id,
            defaults={
                "name": entry.name,
                "kind": entry.kind,
                "address": entry.address,
                "phone": entry.phone or "",
                "sample": entry.sample,
            },
        )
        listed.append(facility.pk)
        Contract.objects.update_or_create(
            facility=facility,
            municipality=municipality,
            defaults={
                "services": sorted(entry.services),
                "own_patients_only": entry.own_patients_only,
                "contact_municipality_first": entry.contact_municipality_first,
                "effective_from": entry.effective_from,
                "effective_until": entry.effective_until,
                "listed": True,
            },
        )
    Contract.objects.filter(municipality=municipality).exclude(facility__in=listed).update(
        listed=False
    )
    transaction.on_commit(lambda: programme_invalidate(ident.code))
    return SyncSummary(ident.name, new_revision, len(listed), len(office_codes))
