"""Serving a private upload to someone entitled to it: inline (a photo or a PDF opens in the
browser), with its checked type, never sniffed, never kept by a cache along the way."""

from __future__ import annotations

from django.http import FileResponse

from sango.uploads.models import Upload


def upload_response(upload: Upload) -> FileResponse:
    """The file of ``upload``, already found through ``uploads_visible_to``. Its name in the
    download says what it is, never whose it is."""
    response = FileResponse(
        upload.file.open("rb"),
        content_type=upload.content_type,
        as_attachment=False,
        filename=f"upload-{upload.pk}.{upload.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
