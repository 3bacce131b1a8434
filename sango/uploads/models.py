"""Files handed in online. Each belongs to one mother and her municipality; the file lives in
the ``private`` storage (never under a public URL) and is served only by views that start from
``sango.accounts.access.uploads_visible_to``."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from sango.mothers.models import Mother
from sango.municipalities.models import Municipality


def _private():
    return storages["private"]


def _path(upload: "Upload", filename: str) -> str:
    # The stored name says nothing about the person: a random token and the checked type.
    return f"{upload.municipality_id}/{upload.token}.{upload.extension}"


class Upload(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("申請の書類")
        PROXY_ID = "proxy_id", _("代理人の本人確認書類")
        ATTORNEY = "attorney", _("委任状")
        RECEIPT = "receipt", _("領収書")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    mother = models.ForeignKey(Mother, on_delete=models.PROTECT, related_name="uploads")
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    # For a document: the programme's name for it (required_documents[].name).
    label = models.CharField(_("書類の名前"), max_length=100, blank=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(storage=_private, upload_to=_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uploads",
    )
    reimbursement = models.ForeignKey(
        "reimbursements.Reimbursement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
            self.content_type, "bin"
        )

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
