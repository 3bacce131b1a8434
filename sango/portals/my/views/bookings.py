"""Her bookings: the list with each facility's cancellation deadline, a new request picked from
a facility's availability calendar (a 仮予約 before applying where the programme works that
way), the waitlist for a full day with the offers made to her, and cancelling.

Every request she makes waits for the facility's answer (``booking_request``): accepted, it is
confirmed when she holds a voucher or card, else provisional until the decision
(``sango.bookings.places.held_status``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sango.bookings.places import Full
from sango.bookings.selectors import month_calendar
from sango.bookings.services import booking_cancel, booking_request
from sango.bookings.waitlist import waitlist_accept_offer, waitlist_join, waitlist_withdraw
from sango.core.errors import Refused, ServiceError
from sango.core.wareki import wareki
from sango.portals.common.once import submit_once
from sango.portals.my import booking_selectors as selectors
from sango.portals.my.auth import mother_required
from sango.portals.my.forms.bookings import ActionForm, DayForm, WaitlistForm

MONTHS_AHEAD = 3  # how many months of calendar she may page through


@require_GET
@mother_required
def bookings(request: HttpRequest) -> HttpResponse:
    """予約: her bookings and waitlist, and whether (and how) she may book."""
    context = {
        "basis": selectors.booking_basis(request.user),
        "rows": selectors.booking_rows(request.user),
        "waitlist": selectors.waitlist_rows(request.user),
        "action_form": ActionForm(),
    }
    return render(request, "my/bookings/list.html", context)


@require_GET
@mother_required
def booking_new(request: HttpRequest) -> HttpResponse:
    """Which service (``?service=stay``, a code of the programme), then which facility: those
    of her programme offering it, by area."""
    basis = selectors.booking_basis(request.user)
    context = {"basis": basis, "services": [], "areas": [], "service": ""}
    if not basis.refusal:
        services = selectors.services_to_book(basis.mother)
        service = request.GET.get("service", "")
        if len(services) == 1:
            service = services[0][0]
        if service in dict(services):
            context["areas"] = selectors.booking_areas(basis.mother, service)
            context["service_name"] = dict(services)[service]
        context.update(services=services, service=service)
    return render(request, "my/bookings/new.html", context)


def _month(request: HttpRequest, today: date) -> date:
    """The month shown (``?month=2026-12``, not personal data), within the months ahead."""
    this = today.replace(day=1)
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        picked = date(year, month, 1)
    except ValueError:
        return this
    last = (this + timedelta(days=31 * MONTHS_AHEAD)).replace(day=1)
    return min(max(picked, this), last)


@require_http_methods(["GET", "POST"])
@mother_required
def booking_dates(request: HttpRequest, facility: int, service: str) -> HttpResponse:
    """The facility's calendar for the service, and the request for the day she picks."""
    basis = selectors.booking_basis(request.user)
    if basis.refusal:
        return redirect("my:bookings")
    bookable = selectors.bookable_of(basis.mother, facility)
    names = dict(bookable.services)
    if service not in names:
        raise Http404
    today = timezone.localdate()
    month = _month(request, today)
    calendar = month_calendar(bookable.facility, service, month)
    days = [d for week in calendar.weeks for d in week if d is not None]
    form = DayForm(request.POST or None, days=days, nightly=calendar.place.nightly)
    context = {
        "basis": basis,
        "bookable": bookable,
        "service": service,
        "service_name": names[service],
        "calendar": calendar,
        "form": form,
        "today": today,
        "previous": calendar.previous if calendar.previous >= today.replace(day=1) else None,
        "next": calendar.next if calendar.next <= _month_after(today) else None,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data["day"]
        end = start + timedelta(days=data["nights"]) if calendar.place.nightly else start

        def book() -> str:
            booking = booking_request(
                facility=bookable.facility,
                mother=basis.mother,
                actor=request.user,
                service=service,
                start_date=start,
                end_date=end,
                application=basis.application,
            )
            return reverse("my:booking", args=[booking.pk])

        try:
            return submit_once(request, data["once"], book)
        except Full as full:
            context["full"] = full
            context["join_forms"] = [WaitlistForm(initial={"day": day}) for day in full.days]
        except Refused as refusal:
            context["refusal"] = refusal
        except ServiceError as error:
            form.add_error("day", error.message)
    return render(request, "my/bookings/dates.html", context)


def _month_after(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=31 * MONTHS_AHEAD)).replace(day=1)


@require_POST
@mother_required
def waitlist_new(request: HttpRequest, facility: int, service: str) -> HttpResponse:
    """キャンセル待ちに登録 for a full day she tried to book."""
    basis = selectors.booking_basis(request.user)
    form = WaitlistForm(request.POST)
    if basis.refusal or not form.is_valid():
        return redirect("my:bookings")
    bookable = selectors.bookable_of(basis.mother, facility)
    if service not in dict(bookable.services):
        raise Http404
    day = form.cleaned_data["day"]

    def join() -> str:
        waitlist_join(
            facility=bookable.facility,
            mother=basis.mother,
            actor=request.user,
            service=service,
            day=day,
            application=basis.application,
        )
        messages.success(
            request,
            _("%(day)sのキャンセル待ちに登録しました。空きが出たらお知らせします。")
            % {"day": wareki(day)},
        )
        return reverse("my:bookings") + "#h-waitlist"

    try:
        return submit_once(request, form.cleaned_data["once"], join)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("my:booking_dates", facility, service)


@require_GET
@mother_required
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: its state and what happens next, the deadline and how to cancel."""
    found = selectors.booking_detail(request.user, pk)
    return render(request, "my/bookings/booking.html", {"b": found, "action_form": ActionForm()})


@require_POST
@mother_required
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """取消, before the facility's deadline; after it she phones the facility (the page says
    so with its number), as the facility may have a fee of its own."""
    found = selectors.booking_detail(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid() or not found.can_cancel:
        messages.error(request, _("取消の期限を過ぎています。施設に電話でご連絡ください。"))
        return redirect("my:booking", pk)

    def cancel() -> str:
        booking_cancel(booking=found, actor=request.user)
        messages.success(request, _("予約を取り消しました。"))
        return reverse("my:bookings")

    try:
        return submit_once(request, form.cleaned_data["once"], cancel)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("my:booking", pk)


def _offer(request: HttpRequest, pk: int, act, done: str, to: str) -> HttpResponse:
    entry = selectors.waitlist_entry_of(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return redirect("my:bookings")

    def run() -> str:
        result = act(entry)
        messages.success(request, done)
        return reverse(to, args=[result.pk]) if to == "my:booking" else reverse(to)

    try:
        return submit_once(request, form.cleaned_data["once"], run)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("my:bookings")


@require_POST
@mother_required
def waitlist_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """She takes the place she was offered."""
    return _offer(
        request,
        pk,
        lambda entry: waitlist_accept_offer(entry=entry, actor=request.user),
        _("ご案内の空きを予約しました。"),
        "my:booking",
    )


@require_POST
@mother_required
def waitlist_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """She no longer waits."""
    return _offer(
        request,
        pk,
        lambda entry: waitlist_withdraw(entry=entry, actor=request.user),
        _("キャンセル待ちを取り下げました。"),
        "my:bookings",
    )


urlpatterns = [
    path("bookings/", bookings, name="bookings"),
    path("bookings/new/", booking_new, name="booking_new"),
    path("bookings/new/<int:facility>/<slug:service>/", booking_dates, name="booking_dates"),
    path(
        "bookings/new/<int:facility>/<slug:service>/waitlist/",
        waitlist_new,
        name="waitlist_join",
    ),
    path("bookings/<int:pk>/", booking, name="booking"),
    path("bookings/<int:pk>/cancel/", booking_cancel_view, name="booking_cancel"),
    path("waitlist/<int:pk>/accept/", waitlist_accept, name="waitlist_accept"),
    path("waitlist/<int:pk>/withdraw/", waitlist_leave, name="waitlist_withdraw"),
]
