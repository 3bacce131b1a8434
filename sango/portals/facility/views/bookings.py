"""空き状況と予約: the month's calendar per service, the requests waiting for an answer, the
upcoming bookings and the waitlist; the settings (capacity, closed days, policy); a booking
taken by phone; one booking with what can be done with it. Views parse, call one service
(``sango.bookings``) and redirect; the rules are the services'."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sango.bookings import selectors
from sango.bookings.capacity import booking_settings_set, closed_day_add, closed_day_remove
from sango.bookings.places import Full, places_of, policy_of
from sango.bookings.services import (
    booking_accept,
    booking_cancel,
    booking_create,
    booking_decline,
    cancellation_deadline,
)
from sango.bookings.waitlist import waitlist_accept_offer, waitlist_join, waitlist_withdraw
from sango.core.errors import Refused, ServiceError
from sango.core.wareki import wareki
from sango.portals.common.once import new_token, submit_once
from sango.portals.facility.auth import facility_required
from sango.portals.facility.forms.bookings import (
    ActionForm,
    BookingNewForm,
    ClosedDayForm,
    DeclineForm,
    SettingsForm,
    WaitlistJoinForm,
)


def _show(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _month(text: str | None, today: date) -> date:
    """``?month=2026-12`` (the calendar's month), today's month when absent or unreadable."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _tokens(items: list[Any], *names: str) -> list[Any]:
    """A one-time token per button form of each row (``once_accept`` …)."""
    for item in items:
        for name in names:
            setattr(item, f"once_{name}", new_token())
    return items


@require_GET
@facility_required
def bookings(request: HttpRequest) -> HttpResponse:
    """The month calendar of one service (never names), the requests to answer, the upcoming
    bookings and the waitlist with its offers."""
    user = request.user
    today = timezone.localdate()
    places = places_of(user.facility)
    service = request.GET.get("service") or next(iter(places), "")
    if places and service not in places:
        raise Http404
    context = {
        "today": today,
        "places": list(places.values()),
        "service": service,
        "calendar": (
            selectors.month_calendar(
                user.facility, service, _month(request.GET.get("month"), today)
            )
            if places
            else None
        ),
        "requests": _tokens(selectors.requests_waiting(user), "accept", "decline"),
        "upcoming": selectors.bookings_upcoming(user, today=today),
        "waitlist": _tokens(selectors.waitlist_of(user, today=today), "accept", "withdraw"),
    }
    return render(request, "facility/bookings/index.html", context)


@require_http_methods(["GET", "POST"])
@facility_required
def booking_settings(request: HttpRequest) -> HttpResponse:
    """受入枠 per service and the booking policy, saved together; closed days below."""
    facility = request.user.facility
    settings = selectors.settings_of(facility)
    form = SettingsForm(
        request.POST or None, places=settings.places, initial=_policy_initial(settings)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> str:
            booking_settings_set(
                facility=facility,
                actor=request.user,
                capacities=form.capacities(),
                horizon_days=data["horizon_days"],
                cancel_hours=data["cancel_hours"],
                cancel_note=data["cancel_note"],
                offer_hours=data["offer_hours"],
            )
            messages.success(request, _("受入枠と予約の受付方法を保存しました。"))
            return reverse("facility:booking_settings")

        try:
            return submit_once(request, data["once"], save)
        except ServiceError as error:
            _show(form, error)
    return _settings_page(request, settings, form, ClosedDayForm())


def _settings_page(request, settings, form, closed_form) -> HttpResponse:
    context = {
        "settings": settings,
        "form": form,
        "closed_form": closed_form,
        "closed_days": _tokens(settings.closed_days, "remove"),
    }
    return render(request, "facility/bookings/settings.html", context)


@require_POST
@facility_required
def closed_day_new(request: HttpRequest) -> HttpResponse:
    facility = request.user.facility
    form = ClosedDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def add() -> str:
            closed_day_add(
                facility=facility, actor=request.user, day=data["day"], note=data["note"]
            )
            messages.success(
                request, _("%(day)sを休業日にしました。") % {"day": wareki(data["day"])}
            )
            return reverse("facility:booking_settings")

        try:
            return submit_once(request, data["once"], add)
        except ServiceError as error:
            _show(form, error)
    settings = selectors.settings_of(facility)
    settings_form = SettingsForm(places=settings.places, initial=_policy_initial(settings))
    return _settings_page(request, settings, settings_form, form)


def _policy_initial(settings) -> dict[str, Any]:
    policy = settings.policy
    names = ("horizon_days", "cancel_hours", "cancel_note", "offer_hours")
    return {name: getattr(policy, name) for name in names}


@require_POST
@facility_required
def closed_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closed = selectors.closed_day_of(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return redirect("facility:booking_settings")

    def remove() -> str:
        closed_day_remove(closed_day=closed, actor=request.user)
        messages.success(
            request, _("%(day)sの休業日を取り消しました。") % {"day": wareki(closed.day)}
        )
        return reverse("facility:booking_settings")

    return submit_once(request, form.cleaned_data["once"], remove)


@require_http_methods(["GET", "POST"])
@facility_required
def booking_new(request: HttpRequest) -> HttpResponse:
    """電話で受けた予約: the mother (from the vouchers shown here), the service and the dates.
    Full: the days are listed with a button to put her on the waitlist."""
    user = request.user
    form = BookingNewForm(
        request.POST or None,
        vouchers=selectors.vouchers_to_book(user),
        services=selectors.service_choices(user.facility),
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voucher = form.chosen_voucher()

        def book() -> str:
            booking = booking_create(
                facility=user.facility,
                mother=voucher.mother,
                actor=user,
                service=data["service"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                application=voucher.application,
                note=data["note"],
            )
            messages.success(
                request,
                _("%(name)sさんの予約を入れました（%(status)s）。")
                % {"name": voucher.mother.name, "status": booking.get_status_display()},
            )
            return reverse("facility:booking", args=[booking.pk])

        try:
            return submit_once(request, data["once"], book)
        except Full as full:
            context["full"] = full
            context["join_forms"] = [
                WaitlistJoinForm(
                    initial={"voucher": voucher.pk, "service": data["service"], "day": day}
                )
                for day in full.days
            ]
        except Refused as refusal:
            context["refusal"] = refusal
        except ServiceError as error:
            _show(form, error)
    return render(request, "facility/bookings/new.html", context)


@require_POST
@facility_required
def waitlist_new(request: HttpRequest) -> HttpResponse:
    """キャンセル待ちに登録, from a booking refused as full."""
    user = request.user
    form = WaitlistJoinForm(request.POST)
    vouchers = {v.pk: v for v in selectors.vouchers_to_book(user)}
    if not form.is_valid() or form.cleaned_data["voucher"] not in vouchers:
        raise Http404
    data = form.cleaned_data
    voucher = vouchers[data["voucher"]]

    def join() -> str:
        waitlist_join(
            facility=user.facility,
            mother=voucher.mother,
            actor=user,
            service=data["service"],
            day=data["day"],
            application=voucher.application,
        )
        messages.success(
            request,
            _("%(name)sさんを%(day)sのキャンセル待ちに登録しました。")
            % {"name": voucher.mother.name, "day": wareki(data["day"])},
        )
        return reverse("facility:bookings") + "#h-waitlist"

    try:
        return submit_once(request, data["once"], join)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("facility:booking_new")


def _booking_page(request, booking, decline_form=None, status=200) -> HttpResponse:
    context = {
        "booking": booking,
        "deadline": cancellation_deadline(booking),
        "policy_note": policy_of(booking.facility).cancel_note,
        "action_form": ActionForm(),
        "cancel_form": ActionForm(),
        "decline_form": decline_form or DeclineForm(),
        "now": timezone.now(),
    }
    return render(request, "facility/bookings/booking.html", context, status=status)


@require_GET
@facility_required
def booking(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: who, which service and dates, its state, and what can be done now."""
    return _booking_page(request, selectors.booking_of(request.user, pk))


def _act(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    """Run ``act(booking)`` once for the button's token; a refusal is shown on the page."""
    found = selectors.booking_of(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return redirect("facility:booking", pk)

    def run() -> str:
        act(found)
        messages.success(request, done % {"name": found.mother.name})
        return reverse("facility:booking", args=[found.pk])

    try:
        return submit_once(request, form.cleaned_data["once"], run)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("facility:booking", pk)


@require_POST
@facility_required
def booking_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda b: booking_accept(booking=b, actor=request.user),
        _("%(name)sさんの予約を受けました。"),
    )


@require_POST
@facility_required
def booking_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda b: booking_cancel(booking=b, actor=request.user),
        _("%(name)sさんの予約を取り消しました。キャンセル待ちの方がいればご案内しています。"),
    )


@require_POST
@facility_required
def booking_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """お断り with a reason; without one the booking's page shows the form again."""
    found = selectors.booking_of(request.user, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def decline() -> str:
            booking_decline(booking=found, actor=request.user, reason=data["reason"])
            messages.success(
                request, _("%(name)sさんの予約をお断りしました。") % {"name": found.mother.name}
            )
            return reverse("facility:bookings")

        try:
            return submit_once(request, data["once"], decline)
        except ServiceError as error:
            _show(form, error)
    return _booking_page(request, found, decline_form=form)


def _entry_act(request: HttpRequest, pk: int, act, done: str) -> HttpResponse:
    entry = selectors.waitlist_entry_of(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return redirect("facility:bookings")

    def run() -> str:
        act(entry)
        messages.success(request, done % {"name": entry.mother.name})
        return reverse("facility:bookings") + "#h-waitlist"

    try:
        return submit_once(request, form.cleaned_data["once"], run)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(reverse("facility:bookings") + "#h-waitlist")


@require_POST
@facility_required
def waitlist_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_act(
        request,
        pk,
        lambda e: waitlist_accept_offer(entry=e, actor=request.user),
        _("%(name)sさんのキャンセル待ちを予約にしました。"),
    )


@require_POST
@facility_required
def waitlist_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_act(
        request,
        pk,
        lambda e: waitlist_withdraw(entry=e, actor=request.user),
        _("%(name)sさんのキャンセル待ちを取り下げました。"),
    )


urlpatterns = [
    path("bookings/", bookings, name="bookings"),
    path("bookings/settings/", booking_settings, name="booking_settings"),
    path("bookings/settings/closed/", closed_day_new, name="closed_day_add"),
    path("bookings/settings/closed/<int:pk>/remove/", closed_day_delete, name="closed_day_remove"),
    path("bookings/new/", booking_new, name="booking_new"),
    path("bookings/<int:pk>/", booking, name="booking"),
    path("bookings/<int:pk>/accept/", booking_accept_view, name="booking_accept"),
    path("bookings/<int:pk>/decline/", booking_decline_view, name="booking_decline"),
    path("bookings/<int:pk>/cancel/", booking_cancel_view, name="booking_cancel"),
    path("bookings/waitlist/join/", waitlist_new, name="waitlist_join"),
    path("bookings/waitlist/<int:pk>/accept/", waitlist_accept_view, name="waitlist_accept"),
    path("bookings/waitlist/<int:pk>/withdraw/", waitlist_withdraw_view, name="waitlist_withdraw"),
]
