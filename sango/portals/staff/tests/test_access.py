"""Every /staff/ address, tried by everyone who is not entitled to it: anonymous visitors are
sent to the login, mothers and facility staff are refused, and the staff of another
municipality find none of this municipality's objects (404). The list of addresses comes from
the URL configuration itself, so a page added later is covered or this test says it is not."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from sango.core.tests import factories as f
from sango.letters.jobs import print_job_request
from sango.payments.models import PaymentBatch
from sango.portals.staff.urls import urlpatterns

# What each address's <pk> names; None for addresses without one.
OBJECT_OF = {
    "case": "application",
    "application_submit": "draft",
    "interview": "application",
    "tier": "application",
    "documents": "application",
    "assign": "application",
    "approve": "application",
    "reject": "application",
    "claim_code": "application",
    "change_new": "approved",
    "change": "change",
    "reimbursement_new": "approved",
    "reimbursement": "reimbursement",
    "claim": "claim",
    "card": "card",
    "card_birth": "card",
    "card_print": "card",
    "letter": "decision",
    "print_job": "print_job",
    "upload": "upload",
    "payment": "payment_batch",
    "payment_line_return": "payment_batch",
    "payment_zengin": "payment_batch",
    "payment_csv": "payment_batch",
    "payment_facility_account": "soja_facility",
    "payment_payee_account": "reimbursement",
}
# The way in and out, and the charts' stylesheet (pygal's style, no data): for everyone.
OPEN = {"login", "logout", "statistics_chart_css"}
# Addresses whose arguments name no object: a fiscal year, a table and a file format.
YEAR = 2026
ARGS_OF = {
    "statistics_download": {"year": YEAR, "table": "services", "fmt": "csv"},
    "statistics_claim_report": {"year": YEAR, "fmt": "pdf"},
    "statistics_budget": {"year": YEAR},
}


@pytest.fixture
def objects(clerk, boss, ward_clerk):
    """One object of each kind in 総社市 (and a usage card in 熊本市)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sango.applications.changes import change_request_submit
    from sango.uploads.services import upload_store
    from sango.vouchers.services import usage_card_issue

    application = f.interviewed_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    approved = f.approved_application(
        mother=f.mother_with_baby(born=f.days_ago(20)), grants={"stay": 2}, staff=clerk, boss=boss
    )
    draft = f.application_in("draft")
    change = change_request_submit(application=approved, actor=clerk, kind="cancel", reason="転出")
    voucher = f.voucher_for(approved)
    claim = f.facility_claim(slug="kaneko-josanin")
    kumamoto_mother = f.mother_with_baby(code=f.KUMAMOTO, born=f.days_ago(10))
    card = usage_card_issue(mother=kumamoto_mother, actor=ward_clerk, tier="taxable")
    return {
        "application": application,
        "approved": approved,
        "draft": draft,
        "change": change,
        "reimbursement": f.reimbursement(voucher=voucher, by=clerk),
        "claim": claim,
        "card": card,
        "decision": approved.decisions.get(),
        "print_job": print_job_request(actor=clerk, day=f.days_ago(0)),
        "upload": upload_store(
            actor=clerk,
            mother=application.mother,
            file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"),
            kind="document",
            application=application,
        ),
        "payment_batch": PaymentBatch.objects.create(
            municipality=f.municipality(), pay_date=f.days_ago(0), created_by=clerk
        ),
        "soja_facility": f.facility("hanada-josanin"),  # paid by 総社市 only
    }


def _addresses(objects) -> list[tuple[str, str]]:
    found = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = pattern.name
        if name in OPEN:
            continue
        kind = OBJECT_OF.get(name)
        if "<int:pk>" in str(pattern.pattern):
            assert kind, f"add /staff/ address {name!r} to OBJECT_OF"
            found.append((name, reverse(f"staff:{name}", args=[objects[kind].pk])))
        elif "<" in str(pattern.pattern):
            assert name in ARGS_OF, f"add /staff/ address {name!r} to ARGS_OF"
            found.append((name, reverse(f"staff:{name}", kwargs=ARGS_OF[name])))
        else:
            found.append((name, reverse(f"staff:{name}")))
    return found


def _both(client, url):
    """The GET and POST answers (a page may answer only one of them: 405 for the other)."""
    return [client.get(url), client.post(url, {})]


def test_anonymous_visitors_are_sent_to_the_login(client_for, objects):
    client = client_for(None)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith(reverse("staff:login")), name


@pytest.mark.parametrize("who", ["mother", "facility", "admin"])
def test_mothers_facility_staff_and_system_administrators_are_refused(client_for, objects, who):
    user = {
        "mother": lambda: f.mother_with_baby(born=f.days_ago(10), user=f.mother_user()).user,
        "facility": lambda: f.facility_staff("kaneko-josanin"),
        "admin": f.admin,
    }[who]()
    client = client_for(user)
    for name, url in _addresses(objects):
        for response in _both(client, url):
            assert response.status_code in (403, 405), (name, response.status_code)


def test_another_municipalitys_staff_find_nothing_of_it(client_for, objects):
    """熊本市 staff try every 総社市 object; 総社市 staff try 熊本市's usage card."""
    kumamoto = client_for(f.approver(f.KUMAMOTO))
    soja = client_for(f.approver())
    for name, url in _addresses(objects):
        if OBJECT_OF.get(name) is None:
            continue
        client = soja if OBJECT_OF[name] == "card" else kumamoto
        for response in _both(client, url):
            assert response.status_code in (404, 405), (name, response.status_code)
