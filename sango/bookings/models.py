"""Provisional bookings (仮予約): a date held at a facility before approval."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.applications.models import Application
from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality


class Booking(models.Model):
    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("仮予約")
        CONFIRMED = "confirmed", _("確定")
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date"]
        indexes = [models.Index(fields=["facility", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="booking_dates_in_order",
            )
        ]
        verbose_name = _("仮予約")
        verbose_name_plural = _("仮予約")

    def __str__(self) -> str:
        return f"{self.facility} {self.start_date}"
