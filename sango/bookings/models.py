"""Bookings (予約) and the places they take: a facility's capacity per service, its closed
days and booking policy, requests waiting for an answer, provisional bookings (仮予約) held
before approval, and the waitlist (キャンセル待ち) for full days."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality


class Booking(models.Model):
    """Dates at a facility. A stay from ``start_date`` to ``end_date`` (the day she leaves)
    takes the nights ``start_date`` … ``end_date``−1 (one night when both are the same day);
    day care and visits take each day ``start_date`` … ``end_date``."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("申込中")
        PROVISIONAL = "provisional", _("仮予約")
        CONFIRMED = "confirmed", _("確定")
        DECLINED = "declined", _("お断り")
        RELEASED = "released", _("解除")
        CANCELLED = "cancelled", _("取消")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="bookings")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    mother = models.ForeignKey(Mother, on_delete=models.PROTECT, related_name="bookings")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    service = models.CharField(_("サービス"), max_length=40)
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    decline_reason = models.CharField(_("お断りの理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date"]
        indexes = [
            models.Index(fields=["facility", "start_date"]),
            models.Index(fields=["facility", "status", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="booking_dates_in_order",
            )
        ]
        verbose_name = _("予約")
        verbose_name_plural = _("予約")

    def __str__(self) -> str:
        return f"{self.facility} {self.start_date}"


# Requested, provisional and confirmed bookings take their places; the others free them.
OCCUPYING = (Booking.Status.REQUESTED, Booking.Status.PROVISIONAL, Booking.Status.CONFIRMED)


class Capacity(models.Model):
    """受入枠: how many mothers the facility takes per night (``stay``) or per day (day care,
    visits). ``service`` is the programme's service code (a sub-type counts towards its
    service). Its row is also the lock every booking of that service takes."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="capacities")
    service = models.CharField(_("サービス"), max_length=40)
    places = models.PositiveSmallIntegerField(_("受入枠"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["facility", "service"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "service"], name="capacity_unique")
        ]
        verbose_name = _("受入枠")
        verbose_name_plural = _("受入枠")

    def __str__(self) -> str:
        return f"{self.facility} {self.service} {self.places}"


class ClosedDay(models.Model):
    """休業日: no service at all that day (nor the night that starts on it)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="closed_days")
    day = models.DateField(_("休業日"))
    note = models.CharField(_("メモ"), max_length=100, blank=True)

    class Meta:
        ordering = ["facility", "day"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "day"], name="closed_day_unique")
        ]
        verbose_name = _("休業日")
        verbose_name_plural = _("休業日")

    def __str__(self) -> str:
        return f"{self.facility} {self.day}"


class BookingPolicy(models.Model):
    """How the facility takes bookings. Any cancellation fee is the facility's own business,
    outside the subsidy: ``cancel_note`` says it in the facility's words."""

    facility = models.OneToOneField(
        Facility, on_delete=models.PROTECT, related_name="booking_policy"
    )
    horizon_days = models.PositiveSmallIntegerField(_("受付期間（日先まで）"), default=90)
    cancel_hours = models.PositiveSmallIntegerField(
        _("キャンセル期限（利用開始の何時間前まで）"), default=24
    )
    cancel_note = models.CharField(_("キャンセルについて"), max_length=300, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("キャンセル待ちの回答期限（時間）"), default=24
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("予約の受付方針")
        verbose_name_plural = _("予約の受付方針")

    def __str__(self) -> str:
        return str(self.facility)


class WaitlistEntry(models.Model):
    """キャンセル待ち for one full day (or night) of one service. When a place frees, the
    first entry waiting for that day is offered it until ``offer_expires_at``; the offer holds
    the place meanwhile."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("順番待ち")
        OFFERED = "offered", _("空きをご案内中")
        ACCEPTED = "accepted", _("予約済み")
        EXPIRED = "expired", _("期限切れ")
        WITHDRAWN = "withdrawn", _("取り下げ")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="waitlist")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    mother = models.ForeignKey(Mother, on_delete=models.PROTECT, related_name="waitlist")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.CharField(_("サービス"), max_length=40)
    day = models.DateField(_("利用日"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.WAITING
    )
    offered_at = models.DateTimeField(_("ご案内日時"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("回答期限"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="waitlist_entry"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "created_at", "pk"]
        indexes = [models.Index(fields=["facility", "status", "day"])]
        verbose_name = _("キャンセル待ち")
        verbose_name_plural = _("キャンセル待ち")

    def __str__(self) -> str:
        return f"{self.facility} {self.day} {self.status}"
