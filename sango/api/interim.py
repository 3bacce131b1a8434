"""Services the API needs that their own app does not have yet.

INTERIM: ``mother_create`` belongs in ``sango/mothers/services.py`` (STYLE.md 5: services write).
The mothers app has no services module yet; when it gets one, move this there unchanged and
import it from the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.db import transaction

from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.mothers.models import Infant, Mother


class InfantData(TypedDict, total=False):
    name: str
    birth_date: date
    due_date: date | None


@transaction.atomic
def mother_create(
    *,
    actor: Any,
    name: str,
    name_kana: str,
    birth_date: date,
    postal_code: str,
    address: str,
    phone: str,
    infants: list[InfantData] | None = None,
) -> Mother:
    """Register a mother, with her infants, at the municipality of ``actor`` (municipal staff).

    The audit event records the count of infants, never names or dates (personal data).
    """
    if not getattr(actor, "municipality_id", None):
        raise ServiceError("産婦の登録は市町村の職員が行います。", code="forbidden")
    mother = Mother.objects.create(
        municipality_id=actor.municipality_id,
        name=name,
        name_kana=name_kana,
        birth_date=birth_date,
        postal_code=postal_code,
        address=address,
        phone=phone,
    )
    Infant.objects.bulk_create(
        Infant(
            mother=mother,
            name=infant.get("name", ""),
            birth_date=infant["birth_date"],
            due_date=infant.get("due_date"),
        )
        for infant in infants or []
    )
    audit_record(actor=actor, action="mother.create", target=mother,
                 after={"infants": len(infants or [])})  # fmt: skip
    return mother
