"""Mothers and infants: personal data. Never logged; shown only to those entitled (see access)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.municipalities.models import Municipality


class Mother(models.Model):
    """A postpartum woman known to a municipality's programme."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="mothers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mother",
    )
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名（カナ）"), max_length=100)
    birth_date = models.DateField(_("生年月日"))
    postal_code = models.CharField(_("郵便番号"), max_length=8)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("電話番号"), max_length=20)
    # 出産予定日 while the baby is not born yet (an application or a usage card in pregnancy);
    # each infant keeps its own due date once its birth is registered.
    due_date = models.DateField(_("出産予定日"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_kana"]
        verbose_name = _("産婦")
        verbose_name_plural = _("産婦")

    def __str__(self) -> str:
        return self.name

    @property
    def delivery_date(self):
        """The day of the latest birth: the start of every postpartum window."""
        infants = list(self.infants.all())
        return max((i.birth_date for i in infants), default=None)


class Infant(models.Model):
    mother = models.ForeignKey(Mother, on_delete=models.CASCADE, related_name="infants")
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"))
    due_date = models.DateField(_("出産予定日"), null=True, blank=True)

    class Meta:
        ordering = ["birth_date", "id"]
        verbose_name = _("乳児")
        verbose_name_plural = _("乳児")

    def __str__(self) -> str:
        return self.name or str(_("乳児"))
