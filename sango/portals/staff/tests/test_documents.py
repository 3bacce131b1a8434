"""Letters out of the office: one decision's PDF, the batch print on the task queue, exports."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from sango.applications.models import Decision
from sango.core.tests import factories as f
from sango.letters.models import PrintJob


@pytest.fixture
def approved(clerk, boss):
    mother = f.mother_with_baby(born=f.days_ago(20))
    return f.approved_application(mother=mother, grants={"stay": 3}, staff=clerk, boss=boss)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_clerk_opens_the_approval_letter_of_a_case(client_for, clerk, approved):
    decision = approved.decisions.get()
    response = client_for(clerk).get(reverse("staff:letter", args=[decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert approved.mother.name in _text(response.content)


def test_another_municipalitys_letter_is_not_found(client_for, ward_clerk, approved):
    decision = approved.decisions.get()
    assert (
        client_for(ward_clerk).get(reverse("staff:letter", args=[decision.pk])).status_code == 404
    )


def test_the_batch_print_runs_on_the_task_queue(client_for, clerk, approved):
    f.rejected_application(mother=f.mother_with_baby(born=f.days_ago(15)))
    client = client_for(clerk)
    page = client.get(reverse("staff:letters_today")).content.decode()
    assert "2通をまとめて印刷" in page
    token = "batch-token"
    day = f.days_ago(0).isoformat()
    response = client.post(reverse("staff:letters_today"), {"once": token, "day": day})
    job = PrintJob.objects.get()
    assert response["Location"] == reverse("staff:print_job", args=[job.pk])
    assert job.status == PrintJob.Status.QUEUED
    # A double click queues nothing more.
    again = client.post(reverse("staff:letters_today"), {"once": token, "day": day})
    assert again["Location"] == response["Location"]
    assert PrintJob.objects.count() == 1
    assert "作成しています" in client.get(response["Location"]).content.decode()

    # The real worker, in this process: it would close the test's open transaction's
    # connection between tasks (close_old_connections), so that one call is held back.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE
    assert job.letters == 2
    download = client.get(response["Location"], {"download": "1"})
    text = _text(download.content)
    for decision in Decision.objects.all():
        assert decision.application.mother.name in text


def test_a_day_without_letters_is_refused_at_its_field(client_for, clerk):
    response = client_for(clerk).post(
        reverse("staff:letters_today"), {"once": "t", "day": "令和8年1月5日"}
    )
    assert response.status_code == 200
    assert "この日に発行した通知書はありません" in response.content.decode()
    assert not PrintJob.objects.exists()


def test_another_municipalitys_print_job_is_not_found(client_for, clerk, ward_clerk, approved):
    client_for(clerk).post(
        reverse("staff:letters_today"), {"once": "t2", "day": f.days_ago(0).isoformat()}
    )
    job = PrintJob.objects.get()
    response = client_for(ward_clerk).get(reverse("staff:print_job", args=[job.pk]))
    assert response.status_code == 404


def test_exports_download_applications_for_excel(client_for, clerk, approved):
    client = client_for(clerk)
    assert "ファイルを作る" in client.get(reverse("staff:exports")).content.decode()
    response = client.get(
        reverse("staff:exports"),
        {"table": "applications", "fmt": "csv_cp932", "date_from": "R8.1.1", "date_to": ""},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("cp932"))))
    assert rows[0][0] == "申請番号"
    assert any(approved.mother.name in row for row in rows[1:])


def test_an_export_with_the_range_reversed_is_refused(client_for, clerk):
    response = client_for(clerk).get(
        reverse("staff:exports"),
        {"table": "uses", "fmt": "xlsx", "date_from": "2026-05-01", "date_to": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "期間の終了は開始より後の日にしてください" in response.content.decode()
