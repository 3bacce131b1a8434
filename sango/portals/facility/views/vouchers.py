"""利用券の確認 and 利用の記録: check a voucher (number and birth date, or a photo of its QR
code), record the care given through a preview of what the rules say, print the mother's
receipt (領収書), and correct or void a use with a reason.

The voucher checked last is kept in the session (its id and when), never in a URL: the use
form refers to it. Every form that records or changes something carries the one-time token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sango.core.errors import Refused, ServiceError
from sango.letters.receipt import receipt_pdf
from sango.portals.common.once import submit_once
from sango.portals.facility import selectors
from sango.portals.facility.auth import facility_required
from sango.portals.facility.forms import vouchers as forms
from sango.programs.rules_for import program_for
from sango.programs.selectors import service_name
from sango.rules.evaluate import Result
from sango.rules.program import RuleSet
from sango.usage.models import Use
from sango.usage.selectors import UseDetails
from sango.usage.services import use_correct, use_judge, use_record, use_void
from sango.vouchers.checks import (
    CheckedVoucher,
    ChecksBlocked,
    check_block_minutes,
    checked_voucher,
    offered_services,
    registered_infants,
    voucher_check_at_facility,
    voucher_checked,
)
from sango.vouchers.models import Voucher

GET_POST = require_http_methods(["GET", "POST"])
CHECKED = "facility_checked_voucher"
CHECK_KEPT = timedelta(hours=12)  # a shift: the next day's visit is checked again


# --- the voucher checked in this session ------------------------------------------------------


def _remember(request: HttpRequest, voucher: Voucher) -> None:
    request.session[CHECKED] = {"id": voucher.pk, "at": timezone.now().timestamp()}


def _checked(request: HttpRequest) -> Voucher | None:
    kept = request.session.get(CHECKED) or {}
    if timezone.now().timestamp() - kept.get("at", 0) > CHECK_KEPT.total_seconds():
        return None
    return voucher_checked(actor=request.user, voucher_id=kept.get("id"))


def _shown(request: HttpRequest, voucher: Voucher) -> CheckedVoucher:
    return checked_voucher(
        voucher=voucher, slug=request.user.facility.slug, day=timezone.localdate()
    )


# --- 利用券の確認 --------------------------------------------------------------------------------


@GET_POST
@facility_required
def check(request: HttpRequest) -> HttpResponse:
    """番号と生年月日、またはQRコードの写真で確認. A success shows the voucher's page."""
    how = request.POST.get("how") if request.method == "POST" else None
    by_number = forms.NumberCheckForm(request.POST if how == "number" else None)
    by_photo = forms.QrPhotoForm(
        request.POST if how == "qr" else None, request.FILES if how == "qr" else None
    )
    blocked = None
    chosen = by_photo if how == "qr" else by_number
    if how in ("number", "qr") and chosen.is_valid():
        try:
            voucher = voucher_check_at_facility(actor=request.user, **chosen.credentials())
        except ChecksBlocked as error:
            blocked = error.message
        except ServiceError as error:
            chosen.add_service_error(error)
        else:
            _remember(request, voucher)
            return redirect("facility:voucher")
    elif how is None:
        minutes = check_block_minutes(actor=request.user)
        if minutes is not None:
            blocked = ChecksBlocked(minutes).message
    context = {"by_number": by_number, "by_photo": by_photo, "blocked": blocked, "how": how}
    return render(request, "facility/vouchers/check.html", context)


@require_GET
@facility_required
def voucher(request: HttpRequest) -> HttpResponse:
    """The voucher checked in this session: only what the facility needs."""
    checked = _checked(request)
    if checked is None:
        messages.info(request, _("利用券を確認してください。"))
        return redirect("facility:check")
    return render(request, "facility/vouchers/voucher.html", {"shown": _shown(request, checked)})


# --- 利用の記録 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the rules say of a use before it is recorded, as the preview page shows it."""

    eligible: bool
    refusal: dict[str, Any] | None
    service: str
    quantity: int
    unit: str
    fee: int | None
    subsidy: int
    funding: tuple[tuple[str, int], ...]
    copay: int | None
    extras: int
    mother_pays: int | None
    remaining: tuple[dict[str, Any], ...]
    notices: tuple[str, ...]


def _unit(rules: RuleSet, code: str) -> str:
    service = rules.services.get(rules.parent_code(code))
    return service.unit if service else ""


def _preview(voucher: Voucher, day: date, result: Result) -> Preview:
    lang = "en" if (get_language() or "ja").startswith("en") else "ja"
    rules = program_for(voucher.municipality.code).version_on(day)
    caps = {cap.code: cap for cap in rules.caps} if rules else {}
    reasons = [{"message": reason.render(lang)} for reason in result.reasons]
    return Preview(
        eligible=result.eligible,
        refusal=None
        if result.eligible
        else {"message": _("この利用は助成の対象になりません。"), "reasons": reasons},
        service=service_name(rules, result.service) if rules else result.service,
        quantity=result.quantity,
        unit=_unit(rules, result.service) if rules else "",
        fee=result.fee,
        subsidy=result.subsidy,
        funding=tuple((p.name, p.amount) for p in result.funding),
        copay=result.copay,
        extras=result.extras,
        mother_pays=None if result.copay is None else result.copay + result.extras,
        remaining=tuple(
            {"name": caps[code].name, "unit": caps[code].unit, "remaining": left}
            for code, left in result.remaining.items()
            if code in caps
        ),
        notices=tuple(notice.render(lang) for notice in result.notices),
    )


def _refusal(error: Refused) -> dict[str, Any]:
    return {"message": error.message, "reasons": error.reasons}


def _use_form(request: HttpRequest, shown: CheckedVoucher) -> forms.UseForm:
    facility = program_for(shown.voucher.municipality.code).facility(request.user.facility.slug)
    return forms.UseForm(
        request.POST if request.method == "POST" else None,
        services=shown.services,
        infants=shown.infants,
        own_patients_only=bool(facility and facility.own_patients_only),
    )


def _receipt_message(request: HttpRequest, use: Use) -> None:
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("利用を記録しました（領収書番号 %(number)s）。") % {"number": use.pk},
            reverse("facility:receipt", args=[use.pk]),
            _("領収書を開く（PDF）"),
        ),
    )


@GET_POST
@facility_required
def use_new(request: HttpRequest) -> HttpResponse:
    """利用の記録 for the voucher checked in this session: the form, then 「確認する」 shows
    what the rules say (the copay to collect), then 「記録する」 records it once."""
    checked = _checked(request)
    if checked is None:
        messages.info(request, _("利用を記録する前に、利用券を確認してください。"))
        return redirect("facility:check")
    shown = _shown(request, checked)
    form = _use_form(request, shown)
    context: dict[str, Any] = {"shown": shown, "form": form}
    if request.method != "POST" or "back" in request.POST or not form.is_valid():
        return render(request, "facility/vouchers/use_new.html", context)
    details = form.details()
    facility = request.user.facility
    try:
        if "confirm" in request.POST:
            token = form.cleaned_data["once"]

            def record() -> str:
                use = use_record(
                    voucher_id=checked.pk,
                    facility=facility,
                    actor=request.user,
                    idempotency_key=token,
                    **details,
                )
                _receipt_message(request, use)
                return reverse("facility:use", args=[use.pk])

            return submit_once(request, token, record)
        result = use_judge(voucher=checked, facility=facility, details=UseDetails(**details))
        context["preview"] = _preview(checked, details["day"], result)
    except Refused as error:
        context["refused"] = _refusal(error)
    except ServiceError as error:
        form.add_service_error(error)
        return render(request, "facility/vouchers/use_new.html", context)
    return render(request, "facility/vouchers/use_preview.html", context)


# --- the uses, one use, its receipt -------------------------------------------------------------


def _named(uses: list[Use]) -> list[Use]:
    """Each use with ``service_name`` and ``unit`` from the programme of its day."""
    for use in uses:
        rules = program_for(use.municipality.code).version_on(use.day)
        use.service_name = service_name(rules, use.service) if rules else use.service
        use.unit = _unit(rules, use.service) if rules else ""
    return uses


@require_GET
@facility_required
def uses(request: HttpRequest) -> HttpResponse:
    """The facility's uses of a month (this month by default)."""
    form = forms.MonthForm(request.GET or None, today=timezone.localdate())
    month = form.chosen()
    rows = _named(list(selectors.uses_in_month(request.user, month)))
    recorded = [use for use in rows if use.status == Use.Status.RECORDED]
    totals = {
        key: sum(getattr(use, key) for use in recorded) for key in ("subsidy", "copay", "extras")
    }
    context = {"form": form, "month": month, "rows": rows, "totals": totals}
    return render(request, "facility/vouchers/uses.html", context)


@GET_POST
@facility_required
def use(request: HttpRequest, pk: int) -> HttpResponse:
    """One use: its figures, the receipt, and 取消 with a reason."""
    found = selectors.use_for(request.user, pk)
    form = forms.VoidForm(request.POST if request.method == "POST" else None, prefix="void")
    if request.method == "POST" and form.is_valid():

        def void() -> str:
            use_void(use=found, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("利用の記録を取り消しました。"))
            return reverse("facility:use", args=[found.pk])

        try:
            return submit_once(request, form.cleaned_data["once"], void)
        except ServiceError as error:
            form.add_service_error(error)
    context = {"use": _named([found])[0], "void_form": form}
    return render(request, "facility/vouchers/use.html", context)


def _correction_initial(found: Use, rules: RuleSet | None) -> dict[str, Any]:
    start = timezone.localtime(found.start) if found.start else None
    end = timezone.localtime(found.end) if found.end else None
    return {
        "service": rules.parent_code(found.service) if rules else found.service,
        "start_day": found.day,
        "start_time": start.time() if start else None,
        "end_day": end.date() if end and end.date() != found.day else None,
        "end_time": end.time() if end else None,
        "quantity": None if start else found.quantity,
        "infants": found.infants,
        "fee": found.fee,
        "extras": found.extras or None,
    }


@GET_POST
@facility_required
def use_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    """訂正: the use as it should have been, and why; the old record stays, voided."""
    found = selectors.use_for(request.user, pk)
    code = found.municipality.code
    rules = program_for(code).version_on(found.day)
    slug = request.user.facility.slug
    services = offered_services(municipality_code=code, rules=rules, slug=slug) if rules else []
    facility = program_for(code).facility(slug)
    form = forms.CorrectForm(
        request.POST if request.method == "POST" else None,
        initial=_correction_initial(found, rules),
        services=tuple(services),
        infants=registered_infants(found.voucher),
        own_patients_only=bool(facility and facility.own_patients_only),
    )
    refused = None
    if request.method == "POST" and form.is_valid():
        changes = form.details()

        def correct() -> str:
            corrected = use_correct(
                use=found, actor=request.user, reason=form.cleaned_data["reason"], **changes
            )
            messages.success(request, _("利用の記録を訂正しました。"))
            return reverse("facility:use", args=[corrected.pk])

        try:
            return submit_once(request, form.cleaned_data["once"], correct)
        except Refused as error:
            refused = _refusal(error)
        except ServiceError as error:
            form.add_service_error(error)
    context = {"use": _named([found])[0], "form": form, "refused": refused}
    return render(request, "facility/vouchers/use_correct.html", context)


@require_GET
@facility_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """領収書 (PDF) for the mother."""
    found = selectors.use_for(request.user, pk)
    try:
        pdf = receipt_pdf(found)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("facility:use", pk=found.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{found.pk}.pdf"'
    return response


urlpatterns = [
    path("check/", check, name="check"),
    path("check/voucher/", voucher, name="voucher"),
    path("uses/", uses, name="uses"),
    path("uses/new/", use_new, name="use_new"),
    path("uses/<int:pk>/", use, name="use"),
    path("uses/<int:pk>/correct/", use_correct_view, name="use_correct"),
    path("uses/<int:pk>/receipt.pdf", receipt, name="receipt"),
]
