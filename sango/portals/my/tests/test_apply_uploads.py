"""A file handed in online is seen only by her and her municipality's staff: served inline with
its checked type, never sniffed, never cached; another mother gets 404, a facility is refused at
both doors, anonymous visitors are sent to log in. Staff see the uploads on the case page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sango.applications.services import application_create
from sango.core.tests import factories as f
from sango.uploads.services import upload_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(new_mother):
    mother = new_mother()
    application = application_create(actor=mother.user, mother=mother)
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 10)).save(out, format="PNG")
    return upload_store(
        actor=mother.user,
        mother=mother,
        file=SimpleUploadedFile("x.png", out.getvalue()),
        kind="document",
        label="世帯所得証明書",
        application=application,
    )


def test_she_sees_her_own_file_inline_and_uncached(client_for, upload):
    response = client_for(upload.mother.user).get(f"/my/uploads/{upload.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_another_mother_gets_not_found(client_for, upload, new_mother):
    assert client_for(new_mother().user).get(f"/my/uploads/{upload.pk}/").status_code == 404


def test_anonymous_is_sent_to_log_in(client_for, upload):
    for url in (f"/my/uploads/{upload.pk}/", f"/staff/uploads/{upload.pk}/"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_facility_is_refused_at_both_doors(client_for, upload):
    kaneko = client_for(f.facility_staff("kaneko-josanin"))
    assert kaneko.get(f"/my/uploads/{upload.pk}/").status_code == 403
    assert kaneko.get(f"/staff/uploads/{upload.pk}/").status_code == 403


def test_her_municipality_sees_it_and_another_does_not(client_for, upload):
    response = client_for(f.clerk()).get(f"/staff/uploads/{upload.pk}/")
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(f.clerk(f.KUMAMOTO)).get(f"/staff/uploads/{upload.pk}/").status_code == 404
    assert client_for(upload.mother.user).get(f"/staff/uploads/{upload.pk}/").status_code == 403


def test_staff_case_page_lists_what_was_uploaded(client_for, upload):
    html = client_for(f.clerk()).get(f"/staff/cases/{upload.application_id}/").content.decode()
    assert "オンラインで提出されたもの" in html
    assert f'href="/staff/uploads/{upload.pk}/"' in html and "世帯所得証明書" in html
    assert "書類をアップロード" in html  # the audit trail in words


def test_staff_documents_page_links_the_uploads_beside_the_ticks(client_for, upload):
    url = f"/staff/cases/{upload.application_id}/documents/"
    html = client_for(f.clerk()).get(url).content.decode()
    assert f'href="/staff/uploads/{upload.pk}/"' in html
    upload.application.refresh_from_db()
    assert upload.application.documents_received == []  # received only when staff record it


def test_she_cannot_take_back_another_mothers_upload(client_for, upload, new_mother):
    response = client_for(new_mother().user).post(f"/my/apply/uploads/{upload.pk}/remove/")
    assert response.status_code == 404
    assert type(upload).objects.filter(pk=upload.pk).exists()
