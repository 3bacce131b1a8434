"""県外の施設で利用した費用の請求 (償還払い) in マイページ: her claims and their state, then a
claim one question per page — what she used, what she paid with the receipt's photos, the
account to pay into — and a check-your-answers page showing the amount the programme would pay
before she sends it. The answers wait in her session (never in an address) until then."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sango.accounts.access import uploads_visible_to
from sango.banking.directory import bank_named, banks_search, branch_named
from sango.banking.models import BankAccount
from sango.banking.services import AccountDetails, BankAccountInvalid, bank_account_validate
from sango.core.errors import Refused, ServiceError
from sango.portals.common.once import submit_once
from sango.portals.my.auth import mother_required
from sango.portals.my.forms import reimburse as forms
from sango.programs.rules_for import rules_on
from sango.programs.selectors import service_name
from sango.reimbursements import selectors
from sango.reimbursements.services import (
    reimbursement_check_day,
    reimbursement_preview,
    reimbursement_submit,
)
from sango.uploads.models import Upload
from sango.uploads.services import upload_remove, upload_store
from sango.vouchers.models import Voucher

GET_POST = require_http_methods(["GET", "POST"])
SESSION_KEY = "my_reimburse"


# --- her claim in progress, in the session -----------------------------------------------------


def _draft(request: HttpRequest, voucher: Voucher) -> dict[str, Any]:
    """The answers given so far, for this voucher (a draft for another one is dropped)."""
    draft = request.session.get(SESSION_KEY) or {}
    if draft.get("voucher") != voucher.pk:
        draft = {"voucher": voucher.pk}
    return draft


def _keep(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = draft


def _receipts(request: HttpRequest, draft: dict[str, Any]) -> list[Upload]:
    """Her receipt photos of this draft, not yet part of a claim."""
    rows = uploads_visible_to(request.user).filter(
        pk__in=draft.get("receipts", []), kind=Upload.Kind.RECEIPT, reimbursement__isnull=True
    )
    return list(rows)


def _offered(voucher: Voucher | None) -> bool:
    """Whether the programme in force today offers 償還払い at all (the day of use decides
    each claim; this only decides whether to show the way in)."""
    if voucher is None:
        return False
    try:
        rules = rules_on(voucher.municipality.code, timezone.localdate())
    except ServiceError:
        return False
    return rules.process.reimbursement.available


def _claim_voucher(request: HttpRequest) -> Voucher:
    """Her voucher when the programme offers 償還払い; else back to the start page."""
    voucher = selectors.claim_voucher_of(request.user)
    if not _offered(voucher):
        raise _Back()
    return voucher


class _Back(Exception):
    """The step cannot be taken now: the start page says why."""


def _step(view):
    """A question page: her voucher and draft, or the start page when she has none."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            voucher = _claim_voucher(request)
        except _Back:
            return redirect("my:reimburse")
        return view(request, voucher, _draft(request, voucher))

    return mother_required(GET_POST(wrapped))


# --- pages --------------------------------------------------------------------------------------


@require_GET
@mother_required
def reimburse(request: HttpRequest) -> HttpResponse:
    """Her claims with their state, and the way to a new one where the programme offers it."""
    voucher = selectors.claim_voucher_of(request.user)
    claims = list(selectors.claims_of(request.user)[:20])
    for claim in claims:
        claim.service_name = _service_label(claim.voucher.municipality.code, claim)
    context = {"voucher": voucher, "offered": _offered(voucher), "claims": claims}
    return render(request, "my/reimburse/start.html", context)


def _service_label(code: str, claim: Any) -> str:
    try:
        return service_name(rules_on(code, claim.day), claim.service)
    except ServiceError:
        return claim.service


@_step
def use(request: HttpRequest, voucher: Voucher, draft: dict[str, Any]) -> HttpResponse:
    """1. 利用した施設と日."""
    rules = rules_on(voucher.municipality.code, timezone.localdate())
    posted = request.POST if request.method == "POST" else None
    form = forms.UseForm(posted, rules=rules, initial=draft.get("use"))
    if posted is not None and form.is_valid():
        try:
            reimbursement_check_day(voucher=voucher, day=form.cleaned_data["day"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            draft["use"] = form.answers()
            _keep(request, draft)
            return redirect(_next(draft, "my:reimburse_receipt"))
    return render(request, "my/reimburse/use.html", {"form": form, "back": "my:reimburse"})


def _next(draft: dict[str, Any], step: str) -> str:
    """The next question, or straight back to the check page when every answer is there."""
    if all(key in draft for key in ("use", "receipt", "account")):
        return reverse("my:reimburse_check")
    return reverse(step)


@_step
def receipt(request: HttpRequest, voucher: Voucher, draft: dict[str, Any]) -> HttpResponse:
    """2. 支払った額と領収書の写真 (at least one)."""
    if "use" not in draft:
        return redirect("my:reimburse_use")
    posted = request.method == "POST"
    form = forms.ReceiptForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=draft.get("receipt"),
    )
    if posted and "remove" in request.POST:
        _remove_receipt(request, draft, request.POST["remove"])
        return redirect("my:reimburse_receipt")
    if posted:
        form.is_valid()
        # The photos are kept even when another answer is wrong: she does not choose them again.
        if "receipts" in form.cleaned_data:
            _store_receipts(request, voucher, draft, form)
        if not form.has_error("receipts") and not draft.get("receipts"):
            form.add_error("receipts", _("領収書の写真を1枚以上えらんでください。"))
        if not form.errors:
            draft["receipt"] = form.answers()
            _keep(request, draft)
            return redirect(_next(draft, "my:reimburse_account"))
    context = {"form": form, "stored": _receipts(request, draft), "back": "my:reimburse_use"}
    return render(request, "my/reimburse/receipt.html", context)


def _store_receipts(
    request: HttpRequest, voucher: Voucher, draft: dict[str, Any], form: forms.ReceiptForm
) -> None:
    """Keep each photo chosen; a refused one is named next to the field, and the ones kept
    before it stay kept (she does not choose them again)."""
    for number, file in enumerate(form.cleaned_data["receipts"], start=1):
        try:
            upload = upload_store(
                actor=request.user,
                mother=voucher.mother,
                file=file,
                kind=Upload.Kind.RECEIPT,
                label=_("領収書"),
                field="receipts",
            )
        except ServiceError as error:
            form.add_error(
                "receipts", _("%(n)s枚目: %(message)s") % {"n": number, "message": error.message}
            )
            continue
        draft.setdefault("receipts", []).append(upload.pk)
        _keep(request, draft)


def _remove_receipt(request: HttpRequest, draft: dict[str, Any], pk: str) -> None:
    found = [u for u in _receipts(request, draft) if str(u.pk) == pk]
    if found:
        upload_remove(upload=found[0], actor=request.user)
        draft["receipts"] = [p for p in draft.get("receipts", []) if str(p) != pk]
        _keep(request, draft)
        messages.success(request, _("写真を1枚取り消しました。"))


@_step
def account(request: HttpRequest, voucher: Voucher, draft: dict[str, Any]) -> HttpResponse:
    """3. 振込先の口座: checked against the bank-code data; a bank searched by name."""
    if "receipt" not in draft:
        return redirect("my:reimburse_receipt")
    posted = request.POST if request.method == "POST" else None
    searching = posted is not None and "search" in posted
    # A search keeps what she typed in the account's fields, without judging it yet.
    initial = posted.dict() if searching else draft.get("account") or _last_account(voucher)
    form = forms.AccountForm(None if searching else posted, initial=initial)
    search = forms.BankSearchForm(posted if searching else None)
    found = []
    if searching and search.is_valid():
        found = banks_search(search.cleaned_data["bank_name"])
    if posted is not None and not searching and form.is_valid():
        try:
            details = bank_account_validate(**form.cleaned_data)
        except BankAccountInvalid as error:
            for field, message in error.errors.items():
                form.add_error(field, message)
        else:
            draft["account"] = details.as_dict()
            _keep(request, draft)
            return redirect("my:reimburse_check")
    context = {
        "form": form,
        "search": search,
        "found": found,
        "searched": searching,
        "names": _names(form),
        "back": "my:reimburse_receipt",
    }
    return render(request, "my/reimburse/account.html", context)


def _last_account(voucher: Voucher) -> dict[str, str] | None:
    last = selectors.last_account_of(voucher)
    if last is None:
        return None
    keys = ("bank_code", "branch_code", "kind", "number", "holder")
    return {key: getattr(last, key) for key in keys}


def _names(form: forms.AccountForm) -> dict[str, str]:
    """The bank's and branch's names for the codes shown in the form (without JavaScript,
    after she has sent the page once)."""
    value = form["bank_code"].value() or ""
    bank = bank_named(value.strip()) if value else None
    branch_value = (form["branch_code"].value() or "").strip()
    branch = branch_named(bank.code, branch_value) if bank and branch_value else None
    return {"bank": bank.name if bank else "", "branch": branch.name if branch else ""}


@require_POST
@mother_required
def bank_lookup(request: HttpRequest) -> JsonResponse:
    """The names of a bank and branch by their codes, for the account page's script (POST, so
    that nothing typed appears in an address or a log)."""
    bank = bank_named(request.POST.get("bank_code", "").strip())
    branch = branch_named(bank.code, request.POST.get("branch_code", "").strip()) if bank else None
    return JsonResponse(
        {"bank": bank.name if bank else "", "branch": branch.name if branch else ""}
    )


def _preview(voucher: Voucher, draft: dict[str, Any]) -> tuple[Any, Any]:
    """What the programme would pay, or the refusal that says why not."""
    try:
        return reimbursement_preview(voucher=voucher, **_claim_figures(draft)), None
    except Refused as error:
        return None, error
    except ServiceError as error:
        return None, Refused(error.message, [])


def _claim_figures(draft: dict[str, Any]) -> dict[str, Any]:
    use, paid = draft["use"], draft["receipt"]
    return {
        "service": use["service"],
        "day": forms.day_of(use["day"]),
        "quantity": use["quantity"],
        "infants": use["infants"],
        "amount_paid": paid["amount_paid"],
    }


def _missing(request: HttpRequest, draft: dict[str, Any]) -> str | None:
    """The first question still to answer (URL name), or None."""
    for key, step in (("use", "use"), ("receipt", "receipt"), ("account", "account")):
        if key not in draft:
            return f"my:reimburse_{step}"
    return None if _receipts(request, draft) else "my:reimburse_receipt"


class _Incomplete(Exception):
    """Sent before every question was answered (a page kept open in another tab)."""


@_step
def check(request: HttpRequest, voucher: Voucher, draft: dict[str, Any]) -> HttpResponse:
    """4. 確認して送信: every answer with a change link, and the amount before she sends. A
    second tap on 送信 finds its token spent and goes to the claim sent by the first."""
    form = forms.SendForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():

        def send() -> str:
            if _missing(request, draft):
                raise _Incomplete
            claim = reimbursement_submit(
                voucher=voucher,
                actor=request.user,
                facility_name=draft["use"]["facility_name"],
                facility_address=draft["use"]["facility_address"],
                receipt_number=draft["receipt"]["receipt_number"],
                account=AccountDetails(**draft["account"]),
                receipts=_receipts(request, draft),
                **_claim_figures(draft),
            )
            return reverse("my:reimburse_done", args=[claim.pk])

        try:
            response = submit_once(request, form.cleaned_data["once"], send)
        except _Incomplete:
            return redirect(_missing(request, draft))
        except ServiceError as error:
            refusal = error
        else:
            request.session.pop(SESSION_KEY, None)
            return response
    missing = _missing(request, draft)
    if missing:
        return redirect(missing)
    receipts = _receipts(request, draft)
    preview, problem = _preview(voucher, draft)
    rules = rules_on(voucher.municipality.code, forms.day_of(draft["use"]["day"]))
    context = {
        "form": form,
        "use": draft["use"],
        "paid": draft["receipt"],
        "account": draft["account"],
        "kind_name": BankAccount.Kind(draft["account"]["kind"]).label,
        "service_name": service_name(rules, draft["use"]["service"]),
        "unit": forms.service_unit(rules, draft["use"]["service"]),
        "day": forms.day_of(draft["use"]["day"]),
        "end_day": forms.day_of(draft["use"]["end_day"]),
        "receipts": receipts,
        "preview": preview,
        "refusal": refusal or problem,
        "back": "my:reimburse_account",
    }
    return render(request, "my/reimburse/check.html", context)


@require_GET
@mother_required
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: her claim's number and what happens next."""
    claim = selectors.claim_of(request.user, pk)
    if claim is None:
        raise Http404
    claim.service_name = _service_label(claim.voucher.municipality.code, claim)
    return render(request, "my/reimburse/done.html", {"claim": claim})


urlpatterns = [
    path("reimburse/", reimburse, name="reimburse"),
    path("reimburse/use/", use, name="reimburse_use"),
    path("reimburse/receipt/", receipt, name="reimburse_receipt"),
    path("reimburse/account/", account, name="reimburse_account"),
    path("reimburse/bank/", bank_lookup, name="reimburse_bank"),
    path("reimburse/check/", check, name="reimburse_check"),
    path("reimburse/<int:pk>/", done, name="reimburse_done"),
]
