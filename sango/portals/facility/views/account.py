"""振込先口座: the account the municipalities pay the facility's 委託料 into. The facility
enters it (or a change) here; the municipality's staff confirm it against the facility's
notice before a payment goes to it, and the change is audited (``bank_account_register``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sango.banking.services import bank_account_register
from sango.core.errors import ServiceError
from sango.payments.selectors import own_facility_account
from sango.portals.common.bank_account import BankAccountForm
from sango.portals.common.once import submit_once
from sango.portals.facility.auth import facility_required


@require_http_methods(["GET", "POST"])
@facility_required
def account(request: HttpRequest) -> HttpResponse:
    """The current account and its state (確認済み or 確認待ち), and the form for a new one."""
    form = BankAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def save() -> str:
            bank_account_register(
                actor=request.user, details=form.details(), facility=request.user.facility
            )
            messages.success(
                request, _("口座を届け出ました。市町村が確認してから、この口座に振り込みます。")
            )
            return reverse("facility:account")

        try:
            return submit_once(request, form.cleaned_data["once"], save)
        except ServiceError as error:
            form.add_service_error(error)
    context = {"form": form, "current": own_facility_account(request.user)}
    return render(request, "facility/account.html", context)


urlpatterns = [path("account/", account, name="account")]
