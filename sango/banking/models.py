"""Bank accounts the municipality pays into (a mother's, for her 償還払い; a facility's, for its
委託料) or pays from (the municipality's own, the originator of a transfer file).

An account row is never edited: a change is a new row, and the old one is retired, so a claim
or a payment keeps pointing at the account it was paid to. Staff confirm an account before
money goes to it (``confirmed_at``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sango.facilities.models import Facility
from sango.mothers.models import Mother
from sango.municipalities.models import Municipality


class BankAccount(models.Model):
    class Kind(models.TextChoices):
        # The 預金種目 codes of the 全銀協 format.
        ORDINARY = "1", _("普通")
        CURRENT = "2", _("当座")
        SAVINGS = "4", _("貯蓄")

    # Exactly one owner (the check constraint below).
    mother = models.ForeignKey(
        Mother, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_accounts"
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_accounts"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_accounts"
    )
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    kind = models.CharField(_("預金種目"), max_length=1, choices=Kind.choices)
    number = models.CharField(_("口座番号"), max_length=7)  # 7 digits, left-padded with 0
    holder = models.CharField(_("口座名義（カナ）"), max_length=30)  # 全銀 half-width, 30 places
    # The names at the time of entry, as the bank-code data gave them: a bank merger renames
    # a bank but not what the mother was shown.
    bank_name = models.CharField(_("金融機関名"), max_length=60)
    branch_name = models.CharField(_("支店名"), max_length=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    retired_at = models.DateTimeField(_("変更日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("口座")
        verbose_name_plural = _("口座")
        constraints = [
            models.CheckConstraint(
                name="bank_account_one_owner",
                condition=(
                    Q(mother__isnull=False, facility__isnull=True, municipality__isnull=True)
                    | Q(mother__isnull=True, facility__isnull=False, municipality__isnull=True)
                    | Q(mother__isnull=True, facility__isnull=True, municipality__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.branch_name} {self.get_kind_display()} {self.number}"
