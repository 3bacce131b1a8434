"""熊本市's 利用カード at a ward office (from 令和6年4月): no application. The card is issued with
the 親子健康手帳, usually in pregnancy; the birth is registered later and gives the card its
end date; the card is printed (number and QR code) and its uses are followed on its page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sango.core.errors import ServiceError
from sango.letters.render import usage_card_pdf
from sango.mothers.services import infant_register_birth, mother_create
from sango.portals.common.once import submit_once
from sango.portals.staff import selectors
from sango.portals.staff.auth import staff_required
from sango.portals.staff.forms.cards import BirthForm, CardIssueForm
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.usage.selectors import remaining_by_cap
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_issue, usage_card_register_birth


def _show(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _tiers(user: Any) -> list[tuple[str, str]]:
    """The household tiers of the programme in force today, in its own names."""
    try:
        rules = rules_on(user.municipality.code, timezone.localdate())
    except ServiceError:
        return []
    return [(tier.code, tier.name) for tier in rules.money.tiers]


@require_http_methods(["GET", "POST"])
@staff_required
def card_new(request: HttpRequest) -> HttpResponse:
    """利用カードの発行 with the handbook: the mother, then the birth if she has given birth,
    then the card, in one transaction (a refusal of the card saves no mother either)."""
    user = request.user
    form = CardIssueForm(request.POST or None, tiers=_tiers(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def issue() -> str:
            with transaction.atomic():
                mother = mother_create(actor=user, **form.mother_fields())
                birth = form.birth()
                if birth is not None:
                    infant_register_birth(mother=mother, actor=user, **birth)
                card = usage_card_issue(
                    mother=mother,
                    actor=user,
                    tier=data["tier"],
                    tier_basis=data["tier_basis"],
                    issued_on=data["issued_on"],
                )
            messages.success(
                request,
                _("利用カードを発行しました（番号 %(number)s）。") % {"number": card.number},
            )
            return reverse("staff:card", args=[card.pk])

        try:
            return submit_once(request, data["once"], issue)
        except ServiceError as error:
            _show(form, error)
    return render(request, "staff/cards/new.html", {"form": form})


@dataclass
class CardPage:
    card: Voucher
    infants: list[Any]
    remaining: list[dict]
    uses: list[Any]
    can_register_birth: bool


def _card_page(user: Any, pk: int) -> CardPage:
    card = selectors.card_for(user, pk)
    today = timezone.localdate()
    try:
        rules = rules_on(card.municipality.code, today)
    except ServiceError:
        rules = None
    remaining = (
        list(remaining_by_cap(voucher=card, rules=rules, day=today).values()) if rules else []
    )
    uses = selectors.uses_of(card)
    for use in uses:
        use.service_name = service_name(rules, use.service) if rules else use.service
        use.unit = _unit(rules, use.service) if rules else ""
    return CardPage(
        card=card,
        infants=list(card.mother.infants.all()),
        remaining=remaining,
        uses=uses,
        # the service refuses otherwise: only an active card still without an end date
        can_register_birth=card.status == Voucher.Status.ACTIVE and card.valid_until is None,
    )


def _unit(rules: Any, code: str) -> str:
    """The unit a use of ``code`` (a service or a sub-type) is counted in."""
    if code in rules.subtypes:
        return rules.subtypes[code][0].unit
    service = rules.services.get(code)
    return service.unit if service else ""


@require_GET
@staff_required
def card(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's file: the mother and infants, number, validity, what remains, the uses."""
    return render(request, "staff/cards/card.html", {"page": _card_page(request.user, pk)})


@require_http_methods(["GET", "POST"])
@staff_required
def card_birth(request: HttpRequest, pk: int) -> HttpResponse:
    """出生の登録: the infants, and the card's end date from the programme's window."""
    card = selectors.card_for(request.user, pk)
    form = BirthForm(
        request.POST or None,
        pregnancy_from=card.valid_from,
        initial={"due_date": card.mother.due_date},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def register() -> str:
            usage_card_register_birth(
                voucher=card,
                actor=request.user,
                birth_date=data["birth_date"],
                count=data["count"],
                name=data["name"],
                due_date=data["due_date"],
            )
            messages.success(request, _("出生を登録しました。利用カードの有効期間が決まりました。"))
            return reverse("staff:card", args=[card.pk])

        try:
            return submit_once(request, data["once"], register)
        except ServiceError as error:
            _show(form, error)
    return render(request, "staff/cards/birth.html", {"form": form, "card": card})


@require_GET
@staff_required
def card_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The card on an A4 page as PDF, to print and hand over with the handbook."""
    card = selectors.card_for(request.user, pk)
    response = HttpResponse(usage_card_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.pk}.pdf"'
    return response


urlpatterns = [
    path("cards/new/", card_new, name="card_new"),
    path("cards/<int:pk>/", card, name="card"),
    path("cards/<int:pk>/birth/", card_birth, name="card_birth"),
    path("cards/<int:pk>/print/", card_print, name="card_print"),
]
