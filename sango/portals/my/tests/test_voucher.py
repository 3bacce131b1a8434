"""Her digital voucher: the number and the same QR payload as the paper voucher, her name,
validity, what remains per cap (after a use too), what to bring, her uses with the copay; the
print view; the service worker and manifest that keep it on her phone; access."""

from __future__ import annotations

import re

import pytest
import segno
import zxingcpp
from django.urls import reverse
from PIL import Image, ImageDraw

from sango.core.tests import factories as f
from sango.letters.qr import qr_svg
from sango.usage.services import use_record
from sango.vouchers.checks import voucher_check_at_facility
from sango.vouchers.services import usage_card_issue, voucher_find

pytestmark = pytest.mark.django_db


@pytest.fixture
def hers(new_mother):
    """A 総社市 mother approved for 5 nights and 2 days, with her voucher."""
    mother = new_mother()
    application = f.approved_application(mother=mother, grants={"stay": 5, "day": 2})
    return f.voucher_for(application)


def qr_text(html: str) -> str:
    """The text of the page's QR code, read as a phone camera would: segno's SVG path (rows of
    dark runs: ``M x y`` / ``m dx dy`` moves, ``h n`` runs) drawn into an image, then decoded
    by zxing-cpp."""
    svg = html.split('class="qr"')[1].split("</svg>")[0]
    size = int(html.split('<svg viewBox="0 0 ')[1].split(" ")[0])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", svg.split('d="')[1]):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            top = int(y - 0.5) * scale
            draw.rectangle([x * scale, top, (x + float(a)) * scale - 1, top + scale - 1], fill=0)
            x += float(a)
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code could be read"
    return found[0].text


def stay_used(voucher, nights: int = 2, copay_fee: int = 30000):
    kaneko = f.facility_staff("kaneko-josanin")
    return use_record(
        voucher_id=voucher.pk,
        facility=kaneko.facility,
        actor=kaneko,
        idempotency_key=f"stay-{voucher.pk}",
        service="stay",
        day=f.days_ago(3),
        quantity=nights,
        fee=copay_fee,
    )


def test_her_voucher_shows_number_name_qr_validity_and_what_remains(client_for, hers):
    page = client_for(hers.mother.user).get(reverse("my:voucher", args=[hers.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert hers.number in html and hers.mother.name in html
    # the QR code holds the paper voucher's signed payload: the facility check accepts it
    kaneko = f.facility_staff("kaneko-josanin")
    assert voucher_check_at_facility(actor=kaneko, qr=qr_text(html)) == hers
    remaining = html.split('id="h-remaining"')[1].split("</section>")[0]
    assert "短期入所（ショートステイ）型" in remaining and "あと5泊" in remaining
    assert "あと2日" in remaining
    assert "まだ利用の記録はありません" in html


def test_her_voucher_opened_again_shows_the_same_code_without_drawing_it_again(
    client_for, hers, monkeypatch
):
    qr_svg.cache_clear()
    drawn = []
    make = segno.make
    monkeypatch.setattr(segno, "make", lambda *a, **k: drawn.append(a) or make(*a, **k))
    client = client_for(hers.mother.user)
    url = reverse("my:voucher", args=[hers.pk])
    first, again = (qr_text(client.get(url).content.decode()) for _ in range(2))
    assert first == again and voucher_find(qr=again) == hers
    assert len(drawn) == 1


def test_what_remains_and_the_copay_after_a_use(client_for, hers):
    use = stay_used(hers, nights=2)
    html = client_for(hers.mother.user).get(reverse("my:voucher", args=[hers.pk])).content
    html = html.decode()
    remaining = html.split('id="h-remaining"')[1].split("</section>")[0]
    assert "あと3泊" in remaining and "5泊のうち2泊利用" in remaining
    uses = html.split('id="h-uses"')[1].split("</section>")[0]
    assert "かねこ助産院" in uses and f"{use.copay:,}円" in uses


def test_the_page_is_private_to_her_device(client_for, hers):
    response = client_for(hers.mother.user).get(reverse("my:voucher", args=[hers.pk]))
    assert "private" in response["Cache-Control"]


def test_the_print_view_has_number_and_qr_and_no_menu(client_for, hers):
    html = client_for(hers.mother.user).get(reverse("my:voucher_print", args=[hers.pk]))
    html = html.content.decode()
    assert hers.number in html and voucher_find(qr=qr_text(html)) == hers
    assert 'class="nav"' not in html


def test_a_usage_card_lists_what_to_bring(client_for, new_mother):
    mother = new_mother(code=f.KUMAMOTO)
    card = usage_card_issue(mother=mother, actor=f.clerk(f.KUMAMOTO), tier="taxable")
    html = client_for(mother.user).get(reverse("my:voucher", args=[card.pk])).content.decode()
    assert card.number in html
    bring = html.split('id="h-bring"')[1].split("</section>")[0]
    assert "親子" in bring or "母子" in bring


def test_the_service_worker_is_served_for_the_my_scope(client):
    response = client.get(reverse("my:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/my/"
    body = response.content.decode()
    assert "/static/my/my.css" in body and "caches" in body


def test_the_manifest_opens_her_page_from_the_home_screen(client):
    data = client.get(reverse("my:manifest")).json()
    assert data["start_url"] == "/my/" and data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}


def test_logging_out_clears_what_her_browser_kept(client_for, hers):
    response = client_for(hers.mother.user).post(reverse("my:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["my:voucher", "my:voucher_print"])
def test_access_to_her_voucher(client_for, hers, new_mother, name):
    url = reverse(name, args=[hers.pk])
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/my/login/")
    assert client_for(new_mother().user).get(url).status_code == 404
    assert client_for(f.clerk()).get(url).status_code == 403
    assert client_for(f.facility_staff("kaneko-josanin")).get(url).status_code == 403


def test_the_voucher_page_queries_do_not_grow_with_uses(
    client_for, hers, django_assert_max_num_queries
):
    client = client_for(hers.mother.user)
    url = reverse("my:voucher", args=[hers.pk])
    stay_used(hers, nights=1)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    kaneko = f.facility_staff("kaneko-josanin")
    for n in range(2):
        use_record(
            voucher_id=hers.pk,
            facility=kaneko.facility,
            actor=kaneko,
            idempotency_key=f"day-{n}",
            service="day",
            day=f.days_ago(10 + n),
            fee=8000,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)
