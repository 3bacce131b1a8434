"""Separation of duties (職務の分離): by default the person who decides is not the person who
prepared — who interviewed the mother or verified her tier (an application), who reviewed a
claim's lines (a facility claim), who entered a reimbursement claim for her. A very small office
where one person must do both sets ``SANGO_SEPARATE_DUTIES=false``; the decision then goes
through, and its audit event says ``"prepared_by_decider": true`` so the trail shows it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from sango.core.errors import ServiceError


def prepared_by_decider(actor: Any, preparers: Iterable[int | None], message: str) -> bool:
    """Whether ``actor`` prepared what they now decide (``preparers``: the user ids of who
    prepared it). Refused with ``message`` unless the deployment relaxes the rule; the caller
    records the answer in its audit event."""
    prepared = actor.pk in set(preparers)
    if prepared and settings.SANGO_SEPARATE_DUTIES:
        raise ServiceError(message, code="forbidden")
    return prepared
