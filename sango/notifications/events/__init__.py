"""What each event tells whom, one module per family of events; each function is called by the
domain service that makes the event, inside its transaction (``services.notify``). Texts are in
Japanese and carry what the recipient needs to act — which programme, facility, service and day
— and never the mother's name, address or other personal details (mail leaves the site)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import translation

from sango.core.errors import ServiceError
from sango.core.wareki import wareki
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name


def mother_account(mother: Any) -> Any:
    """Her account if she has one (only then is she told anything)."""
    return mother.user if mother.user_id else None


def service_label(municipality_code: str, service: str, day: date) -> str:
    """The programme's name for ``service`` on ``day`` (ショートステイ …), the code if unknown."""
    try:
        return service_name(rules_on(municipality_code, day), service)
    except ServiceError:
        return service


def portal_path(name: str, *args: Any) -> str:
    """The path of a portal page for a message's link; マイページ's first page should that page
    not exist (a message must never stop the event that writes it)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("my:home")


def japanese() -> translation.override:
    """Texts are written in Japanese whatever language the acting person's screen is in."""
    return translation.override("ja")


def day(value: date) -> str:
    return wareki(value)
