"""支払: staff pay what the municipality owes on a date. A clerk builds the batch for the
支払日 and reviews its lines (and what is held back for want of a confirmed account); the
approver locks it; the 全銀 file goes to the bank and the CSV to 財務会計; once the bank has
made the transfers it is marked paid, and a transfer the bank returns is marked on its line.
The accounts the money goes from (the municipality's, entered once) and to (the facilities')
are entered here too."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sango.banking.services import bank_account_confirm, bank_account_register
from sango.core.errors import ServiceError
from sango.payments import selectors
from sango.payments.exports import batch_table, transfer_file_name, transfer_file_of
from sango.payments.models import PaymentBatch
from sango.payments.services import (
    batch_build,
    batch_lock,
    batch_mark_paid,
    batch_regather,
    line_mark_returned,
    originator_save,
)
from sango.portals.common.bank_account import ACCOUNT_FIELDS, BankAccountForm
from sango.portals.common.once import OnceForm, submit_once
from sango.portals.staff.auth import staff_required
from sango.portals.staff.forms.payments import (
    BuildForm,
    LockForm,
    OriginatorForm,
    ReturnForm,
)
from sango.portals.staff.views.decisions import GET_POST, PAGE_ROWS
from sango.reports import files


def _saved_once(
    request: HttpRequest, form: BuildForm | BankAccountForm, save: Callable[[], str]
) -> HttpResponse | None:
    """A valid POST runs ``save`` once and goes where it says; None for a GET, bad input or a
    refusal (its message is then on the form), and the caller shows the page again."""
    if request.method == "POST" and form.is_valid():
        try:
            return submit_once(request, form.cleaned_data["once"], save)
        except ServiceError as error:
            form.add_service_error(error)
    return None


def _once_or_back(
    request: HttpRequest, form: OnceForm, action: Callable[[], str], back: str
) -> HttpResponse:
    """A button's action run once; a refusal goes ``back`` with its message on top."""
    try:
        return submit_once(request, form.cleaned_data["once"], action)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)


@GET_POST
@staff_required
def payments(request: HttpRequest) -> HttpResponse:
    """The batches, latest 支払日 first, and a new batch for a date."""
    form = BuildForm(request.POST if request.method == "POST" else None)

    def build() -> str:
        batch = batch_build(actor=request.user, pay_date=form.cleaned_data["pay_date"])
        messages.success(
            request,
            _("支払を作成しました（%(count)s件、%(total)s円）。内容を確かめてください。")
            % {"count": batch.count, "total": f"{batch.total:,}"},
        )
        return reverse("staff:payment", args=[batch.pk])

    if done := _saved_once(request, form, build):
        return done
    rows = selectors.batches_list(request.user)
    context = {
        "form": form,
        "rows": list(rows[:PAGE_ROWS]),
        "originator": selectors.originator_of(request.user.municipality_id),
    }
    return render(request, "staff/payments/list.html", context)


def _step(request: HttpRequest, batch: PaymentBatch, posted: str, form: OnceForm) -> HttpResponse:
    """集め直す, 確定する or 支払済みにする, once, back to the batch."""
    url = reverse("staff:payment", args=[batch.pk])

    def run() -> str:
        if posted == "regather":
            done = batch_regather(actor=request.user, batch=batch)
            note = _("集め直しました（%(count)s件、%(total)s円）。")
        elif posted == "lock":
            data = form.cleaned_data
            done = batch_lock(
                actor=request.user, batch=batch, count=data["count"], total=data["total"]
            )
            note = _("支払を確定しました（%(count)s件、%(total)s円）。全銀ファイルを作成できます。")
        else:
            done = batch_mark_paid(actor=request.user, batch=batch)
            note = _("支払済みにしました（%(count)s件、%(total)s円）。")
        messages.success(request, note % {"count": done.count, "total": f"{done.total:,}"})
        return url

    return submit_once(request, form.cleaned_data["once"], run)


@GET_POST
@staff_required
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: its lines with payee, bank and amount; what is held back while it is
    作成中; the step its state allows."""
    batch = selectors.batch_for(request.user, pk)
    posted = request.POST.get("action") if request.method == "POST" else None
    if posted == "lock" and not request.user.is_approver:
        raise PermissionDenied(_("支払の確定は決裁者が行います。"))
    initial = {"count": batch.count, "total": batch.total}
    lock = LockForm(request.POST if posted == "lock" else None, initial=initial)
    step = OnceForm(request.POST if posted in ("regather", "paid") else None, auto_id="step_%s")
    chosen = lock if posted == "lock" else step
    if posted in ("regather", "lock", "paid"):
        if chosen.is_valid():
            try:
                return _step(request, batch, posted, chosen)
            except ServiceError as error:
                messages.error(request, error.message)
        return redirect("staff:payment", pk=batch.pk)
    draft = batch.status == PaymentBatch.Status.DRAFT
    held = [row for row in selectors.owed(batch.municipality_id) if row.held] if draft else []
    context = {
        "batch": batch,
        "lines": selectors.lines_of(batch),
        "held": held,
        "lock": lock,
        "step": step,
        "returned": ReturnForm(auto_id="return_%s"),
        "can_lock": draft and request.user.is_approver,
        "originator": selectors.originator_of(batch.municipality_id) if draft else None,
    }
    return render(request, "staff/payments/batch.html", context)


@require_POST
@staff_required
def payment_line_return(request: HttpRequest, pk: int) -> HttpResponse:
    """振込不能: the bank returned one transfer of a paid batch."""
    batch = selectors.batch_for(request.user, pk)
    form = ReturnForm(request.POST)
    url = reverse("staff:payment", args=[batch.pk])
    if not form.is_valid():
        messages.error(request, _("振込不能の理由を選んでください。"))
        return redirect(url)
    line = selectors.line_for(batch, form.cleaned_data["line"])

    def mark() -> str:
        line_mark_returned(actor=request.user, line=line, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("明細 %(number)s を振込不能にしました。次の支払で改めて振り込みます。")
            % {"number": line.pk},
        )
        return url

    return _once_or_back(request, form, mark, url)


@require_GET
@staff_required
def payment_zengin(request: HttpRequest, pk: int) -> HttpResponse:
    """The 全銀協 総合振込 file of a locked batch, for the bank's upload page."""
    batch = selectors.batch_for(request.user, pk)
    try:
        body = transfer_file_of(batch)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("staff:payment", pk=batch.pk)
    response = HttpResponse(body, content_type="application/octet-stream")
    response["Content-Disposition"] = files.content_disposition(transfer_file_name(batch))
    return response


@require_GET
@staff_required
def payment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch for 財務会計: ``?fmt=csv`` (UTF-8 with BOM) or ``?fmt=csv_cp932``."""
    batch = selectors.batch_for(request.user, pk)
    fmt = request.GET.get("fmt", "csv")
    if fmt not in ("csv", "csv_cp932"):
        raise Http404
    table = batch_table(batch)
    ending = files.FORMATS[fmt][1]
    response = HttpResponse(files.render(table, fmt), content_type=files.content_type(fmt))
    response["Content-Disposition"] = files.content_disposition(
        f"{table.name}_{batch.pay_date.isoformat()}{ending}",
        f"{table.title}_{batch.pay_date.isoformat()}{ending}",
    )
    return response


# --- the accounts money goes from and to -------------------------------------------------------


@GET_POST
@staff_required
def payment_originator(request: HttpRequest) -> HttpResponse:
    """振込元: the municipality's own account, 委託者コード and 委託者名, entered once."""
    current = selectors.originator_of(request.user.municipality_id)
    initial = {}
    if current is not None:
        account = current.account
        initial = {
            "code": current.code,
            "name": current.name,
            **{name: getattr(account, name) for name in ACCOUNT_FIELDS},
        }
    form = OriginatorForm(request.POST if request.method == "POST" else None, initial=initial)

    def save() -> str:
        data = form.cleaned_data
        originator_save(
            actor=request.user, details=form.details(), code=data["code"], name=data["name"]
        )
        messages.success(request, _("振込元を登録しました。"))
        return reverse("staff:payments")

    if done := _saved_once(request, form, save):
        return done
    context = {"form": form, "current": current}
    return render(request, "staff/payments/originator.html", context)


@GET_POST
@staff_required
def payment_facilities(request: HttpRequest) -> HttpResponse:
    """The facilities' accounts: which are entered and confirmed; 確認済みにする for one."""
    form = OnceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        facility = selectors.facility_for(request.user, int(request.POST.get("facility", 0)))
        url = reverse("staff:payment_facilities")
        if facility.account is None:
            return redirect(url)

        def confirm() -> str:
            bank_account_confirm(account=facility.account, actor=request.user)
            messages.success(
                request, _("%(name)sの口座を確認済みにしました。") % {"name": facility.name}
            )
            return url

        return _once_or_back(request, form, confirm, url)
    context = {"rows": selectors.facilities_with_accounts(request.user), "confirm": OnceForm()}
    return render(request, "staff/payments/facilities.html", context)


@GET_POST
@staff_required
def payment_facility_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility's account from its passbook copy or its letter; a change replaces the old
    one (kept for the payments made to it) and waits for a confirmation."""
    facility = selectors.facility_for(request.user, pk)
    form = BankAccountForm(request.POST if request.method == "POST" else None)

    def save() -> str:
        bank_account_register(actor=request.user, details=form.details(), facility=facility)
        messages.success(
            request,
            _(
                "%(name)sの口座を登録しました。通帳の写しと照らして「確認済みにする」を押してください。"
            )
            % {"name": facility.name},
        )
        return reverse("staff:payment_facilities")

    if done := _saved_once(request, form, save):
        return done
    context = {"form": form, "facility": facility}
    return render(request, "staff/payments/facility_account.html", context)


@GET_POST
@staff_required
def payment_payee_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A mother's account for a reimbursement held back or returned: her current account with
    確認済みにする, and the corrected one from her passbook copy (a new row; the old one stays
    with the payments made to it)."""
    item = selectors.payee_of(request.user, pk)
    url = reverse("staff:payment_payee_account", args=[item.pk])
    posted = request.POST.get("action") if request.method == "POST" else None
    form = BankAccountForm(request.POST if posted == "register" else None)
    confirm = OnceForm(request.POST if posted == "confirm" else None, auto_id="confirm_%s")
    mother = item.voucher.mother

    def register() -> str:
        bank_account_register(actor=request.user, details=form.details(), mother=mother)
        messages.success(request, _("口座を登録しました。通帳の写しと照らして確認してください。"))
        return url

    def confirmed() -> str:
        bank_account_confirm(account=item.account, actor=request.user)
        messages.success(request, _("口座を確認済みにしました。次の支払で振り込みます。"))
        return url

    chosen, run = (form, register) if posted == "register" else (confirm, confirmed)
    if posted in ("register", "confirm") and chosen.is_valid():
        if posted == "confirm" and item.account is None:
            return redirect(url)
        try:
            return submit_once(request, chosen.cleaned_data["once"], run)
        except ServiceError as error:
            if posted == "confirm":
                messages.error(request, error.message)
                return redirect(url)
            form.add_service_error(error)
    context = {"item": item, "form": form, "confirm": confirm}
    return render(request, "staff/payments/payee_account.html", context)


urlpatterns = [
    path("payments/", payments, name="payments"),
    path("payments/<int:pk>/", payment, name="payment"),
    path("payments/<int:pk>/returned/", payment_line_return, name="payment_line_return"),
    path("payments/<int:pk>/zengin/", payment_zengin, name="payment_zengin"),
    path("payments/<int:pk>/csv/", payment_csv, name="payment_csv"),
    path("payments/originator/", payment_originator, name="payment_originator"),
    path("payments/facilities/", payment_facilities, name="payment_facilities"),
    path(
        "payments/reimbursements/<int:pk>/account/",
        payment_payee_account,
        name="payment_payee_account",
    ),
    path(
        "payments/facilities/<int:pk>/account/",
        payment_facility_account,
        name="payment_facility_account",
    ),
]
