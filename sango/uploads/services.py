"""Storing a file a mother hands in: its real type read from its first bytes (a photo named
.pdf is still a photo), its size bounded, photos opened, turned upright and re-encoded — which
drops what the camera wrote into them (place, time, device) — and shrunk to a size staff can
read on screen; kept under a random name in private storage."""

from __future__ import annotations

import io
import secrets
from typing import Any

import filetype
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from sango.accounts.roles import require_acts_for
from sango.audit.services import audit_record
from sango.core.errors import ServiceError
from sango.mothers.models import Mother
from sango.uploads.models import Upload

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2400  # pixels: a 世帯調書 photographed on a phone stays legible
ACCEPTED = {"image/jpeg", "image/png", "application/pdf"}


def _kind_of(head: bytes) -> str | None:
    guess = filetype.guess(head)
    return guess.mime if guess else None


def _photo(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ServiceError(
            "写真を開けませんでした。撮り直すか、別のファイルを選んでください。", field="file"
        ) from error


def _read(file: Any, field: str) -> tuple[bytes, str]:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ServiceError("ファイルが大きすぎます（10MBまで）。", field=field)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ServiceError("ファイルが大きすぎます（10MBまで）。", field=field)
    if not data:
        raise ServiceError("ファイルが空です。", field=field)
    kind = _kind_of(data[:262])
    if kind not in ACCEPTED:
        raise ServiceError(
            "写真（JPEG・PNG）かPDFのファイルを選んでください。", field=field, code="file_type"
        )
    if kind == "application/pdf":
        return data, kind
    return _photo(data), "image/jpeg"


@transaction.atomic
def upload_store(
    *,
    actor: Any,
    mother: Mother,
    file: Any,
    kind: str,
    label: str = "",
    application: Any = None,
    reimbursement: Any = None,
    field: str = "file",
) -> Upload:
    """Keep ``file`` for ``mother`` (by her, or by staff of her municipality). Refused with a
    message on ``field`` when it is too large, empty, or not a photo or a PDF."""
    require_acts_for(
        actor,
        "この書類を提出する権限がありません。",
        municipality_id=mother.municipality_id,
        mother=mother,
    )
    if kind not in Upload.Kind.values:
        raise ServiceError("書類の種類が正しくありません。", field="kind")
    data, content_type = _read(file, field)
    upload = Upload(
        municipality_id=mother.municipality_id,
        mother=mother,
        kind=kind,
        label=label[:100],
        token=secrets.token_hex(16),
        content_type=content_type,
        size=len(data),
        application=application,
        reimbursement=reimbursement,
        uploaded_by=actor,
    )
    upload.file.save("upload", ContentFile(data), save=False)
    upload.save()
    audit_record(
        actor=actor,
        action="upload.store",
        target=upload,
        application=application,
        municipality_id=mother.municipality_id,
        after={"kind": kind, "content_type": content_type, "size": len(data)},
    )
    return upload


@transaction.atomic
def upload_remove(*, upload: Upload, actor: Any) -> None:
    """Take back a file handed in by mistake, while what it belongs to is still a draft."""
    require_acts_for(
        actor,
        "この書類を取り消す権限がありません。",
        municipality_id=upload.municipality_id,
        mother=upload.mother,
    )
    application = upload.application
    if application is not None and application.status != application.Status.DRAFT:
        raise ServiceError("提出した申請の書類は取り消せません。こども課へご連絡ください。")
    audit_record(
        actor=actor,
        action="upload.remove",
        target=upload,
        application=application,
        municipality_id=upload.municipality_id,
        after={"kind": upload.kind},
    )
    upload.file.delete(save=False)
    upload.delete()
