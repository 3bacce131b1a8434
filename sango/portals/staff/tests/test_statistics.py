"""実績 in the staff office: the page, its year switch, downloads, the budget form, the subsidy
claim report files, and who may see them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sango.audit.models import AuditEvent
from sango.core.tests import factories as f
from sango.reports.models import Budget
from sango.reports.tests.known_month import known_month

pytestmark = pytest.mark.django_db
PAGE = reverse("staff:statistics")


@pytest.fixture
def world(clerk, boss):
    return known_month()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize("who", ["mother", "facility"])
def test_mothers_and_facilities_get_403(client_for, who):
    user = f.mother_user() if who == "mother" else f.facility_staff("kaneko-josanin")
    assert client_for(user).get(PAGE).status_code == 403
    url = reverse("staff:statistics_download", args=[2026, "monthly", "csv"])
    assert client_for(user).get(url).status_code == 403


def test_the_page_shows_the_year_with_charts_and_tables(client_for, world):
    response = client_for(world.clerk).get(PAGE, {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "実績 令和8年度" in text
    # the key figures, and the tables beside the charts
    assert re.search(r"実人員 2 人 延べ利用数 6 件 延べ日数 11 日 助成額 106,500円", text)
    assert "かねこ助産院 2 4 7 68,000円" in text
    assert "上記以外の方 1 4 8 75,000円" in text
    assert "国の負担 1/2 53,250円" in text
    # two inline SVG charts, named and described, with no script
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 2
    assert all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    assert '<title id="chart-uses-title">月別・サービス別の延べ利用数（令和8年度）</title>' in html
    main = html.split("<main", 1)[1]
    # nothing inline that the Content-Security-Policy would block, and nothing from a CDN
    assert "<script" not in main and "<style" not in main and ' style="' not in main
    assert "kozea.github.io" not in html
    assert reverse("staff:statistics_chart_css") in html


def test_the_charts_stylesheet_is_served_by_the_site(client):
    response = client.get(reverse("staff:statistics_chart_css"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert ".pygal-chart .color-0" in css and "#chart-" not in css
    assert ".pygal-chart .plot > .background{fill:#ffffff}" in css  # CSS, not XML text


def test_the_current_year_is_the_default_and_a_bad_year_is_explained(client_for, world):
    text = text_of(client_for(world.clerk).get(PAGE))
    assert "実績 令和8年度" in text  # the clock of these tests is in FY2026
    response = client_for(world.clerk).get(PAGE, {"year": "1999"})
    assert response.status_code == 200
    assert "表示できる年度から選んでください。" in text_of(response)


def test_an_empty_year_says_so(client_for, world):
    response = client_for(world.clerk).get(PAGE, {"year": "2025"})
    text = text_of(response)
    assert "令和7年度の利用の記録はまだありません。" in text
    assert text.count("この年度の記録はありません") >= 2  # both charts say so


def test_another_city_sees_its_own_figures_only(client_for, world, ward_clerk):
    text = text_of(client_for(ward_clerk).get(PAGE, {"year": "2026"}))
    assert "かねこ助産院" not in text
    assert "実人員 0 人 延べ利用数 0 件" in text


def test_the_query_count_is_flat(client_for, world, django_assert_max_num_queries):
    client = client_for(world.clerk)
    with django_assert_max_num_queries(24):
        client.get(PAGE, {"year": "2026"})


@pytest.mark.parametrize("fmt", ["csv", "csv_cp932", "xlsx"])
def test_a_table_downloads(client_for, world, fmt):
    url = reverse("staff:statistics_download", args=[2026, "facilities", fmt])
    response = client_for(world.clerk).get(url)
    assert response.status_code == 200
    assert "statistics_facilities_2026-04-01_2027-03-31" in response["Content-Disposition"]
    body = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert rows[1] == ["かねこ助産院", 2, 4, 7, 68000]
    else:
        encoding = "utf-8-sig" if fmt == "csv" else "cp932"
        rows = list(csv.reader(io.StringIO(body.decode(encoding))))
        assert rows[1] == ["かねこ助産院", "2", "4", "7", "68000"]


def test_unknown_tables_formats_and_years_are_404(client_for, world):
    client = client_for(world.clerk)
    for args in ([2026, "mothers", "csv"], [2026, "monthly", "pdf"], [1990, "monthly", "csv"]):
        assert client.get(reverse("staff:statistics_download", args=args)).status_code == 404
    report = reverse("staff:statistics_claim_report", args=[2026, "doc"])
    assert client.get(report).status_code == 404


def test_the_subsidy_claim_report_prints_and_downloads(client_for, world):
    client = client_for(world.clerk)
    pdf = client.get(reverse("staff:statistics_claim_report", args=[2026, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert "岡山県総社市" in flat and "106,500円" in flat and "53,250円" in flat
    xlsx = client.get(reverse("staff:statistics_claim_report", args=[2026, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {r[0]: r[2] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["対象経費（支出済額の基礎）"] == 106500 and cells["岡山県の負担"] == 26625


def test_a_clerk_enters_and_replaces_the_budget(client_for, world):
    client = client_for(world.clerk)
    url = reverse("staff:statistics_budget", args=[2026])
    form = client.get(url)
    once = re.search(r'name="once" value="([^"]+)"', form.content.decode()).group(1)
    response = client.post(url, {"amount": "１，０００，０００円", "once": once})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?year=2026#budget"
    # the same form sent twice saves once
    client.post(url, {"amount": "１，０００，０００円", "once": once})
    assert AuditEvent.objects.filter(action="budget.set").count() == 1
    text = text_of(client.get(PAGE, {"year": "2026"}))
    assert "予算額 1,000,000円（助成額を引いた残り 893,500円）" in text
    assert "8.9%" in text
    again = re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode()).group(1)
    client.post(url, {"amount": "1200000", "once": again})
    assert Budget.objects.get(fiscal_year=2026).amount == 1_200_000
    event = AuditEvent.objects.filter(action="budget.set").latest("pk")
    assert event.before == {"amount": 1_000_000} and event.after["amount"] == 1_200_000


def test_a_bad_budget_is_explained_next_to_the_field(client_for, world):
    client = client_for(world.clerk)
    url = reverse("staff:statistics_budget", args=[2026])
    once = re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {"amount": "百万円", "once": once})
    assert response.status_code == 200
    assert "数字で入力してください。" in text_of(response)
    assert 'value="百万円"' in response.content.decode()
    assert not Budget.objects.exists()
