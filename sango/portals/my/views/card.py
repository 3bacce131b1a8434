"""熊本市's 利用カード (from 令和6年4月) in マイページ: she registers the card she was handed with
the 親子健康手帳 (its number and her birth date) and, for a card handed out in pregnancy, her
baby's birth, which gives the card its end date. The card itself then shows at ``my:voucher``
with what remains."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.core.errors import ServiceError
from sango.portals.common.once import submit_once
from sango.portals.my import selectors
from sango.portals.my.auth import mother_required
from sango.portals.my.forms.card import BirthForm, CardForm
from sango.vouchers.models import Voucher
from sango.vouchers.services import usage_card_register, usage_card_register_birth


@require_http_methods(["GET", "POST"])
@mother_required
def card_register(request: HttpRequest) -> HttpResponse:
    """利用カードの登録. Registering the same card twice is harmless (it is hers already), so
    no one-time token: a failed try must stay counted (``usage_card_register``)."""
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = usage_card_register(user=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error("number" if error.code != "invalid_state" else None, error.message)
        else:
            messages.success(request, _("利用カードを登録しました。"))
            if card.valid_until is None:
                return redirect("my:card_birth", card.pk)
            return redirect("my:voucher", card.pk)
    return render(request, "my/card/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
@mother_required
def card_birth(request: HttpRequest, pk: int) -> HttpResponse:
    """赤ちゃんの出生 for her card handed out in pregnancy (a card with its end date already
    set goes straight to the card)."""
    card = selectors.voucher_of(request.user, pk)
    if card.kind != Voucher.Kind.USAGE_CARD or card.valid_until is not None:
        return redirect("my:voucher", card.pk)
    form = BirthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def register() -> str:
            usage_card_register_birth(
                voucher=card,
                actor=request.user,
                birth_date=data["birth_date"],
                count=data["count"],
                name=data["name"],
            )
            messages.success(request, _("赤ちゃんの誕生を登録しました。利用カードが使えます。"))
            return reverse("my:voucher", args=[card.pk])

        try:
            return submit_once(request, data["once"], register)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "my/card/birth.html", {"form": form, "card": card})


urlpatterns = [
    path("card/", card_register, name="card_register"),
    path("card/<int:pk>/birth/", card_birth, name="card_birth"),
]
