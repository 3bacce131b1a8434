"""The public programme pages and the quote simulator, through the test client.

Facts asserted here (amounts, offices, windows) are those of the shipped programme documents
(sango/programs/documents); the pages themselves hold none of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from sango.programs.registry import get_registry
from sango.rules.program import default_program_dir, sample_program_dir

SOJA = "332089"
KUMAMOTO = "431001"
WELFARE_STAY = {
    "service": "stay",
    "date": "2026-05-10",
    "tier": "welfare",
    "birth_date": "2026-03-01",
    "facility": "kaneko-josanin",
    "fee": "30000",
}


def page(client, name: str, code: str | None = None, **params) -> tuple[int, str]:
    """A page; the simulator is a POST form, sent when there is something to send."""
    url = reverse(f"programs:{name}", args=[code] if code else [])
    send = client.post if name == "quote" and params else client.get
    response = send(url, params)
    return response.status_code, response.content.decode()


def money_cell(html: str, tier: str) -> str:
    """The first amount in a tier's row of the first money table (the first service)."""
    match = re.search(rf'<th scope="row">{tier}</th><td data-label="([^"]*)">([^<]*)</td>', html)
    assert match, f"no row for {tier}"
    return f"{match[1]}: {match[2]}"


def facility_card(html: str, name: str) -> str:
    """The markup of one facility's card."""
    cards = [c for c in html.split('<li class="card facility">')[1:] if f">{name}" in c]
    assert len(cards) == 1, f"{name} should have one card"
    return cards[0].split("</section>")[0]


def field_block(html: str, name: str) -> str:
    """The markup of one form field: label, help text, error and input."""
    start = html.index(f'id="id_{name}_field"')
    following = html.find('_field"', start + len(name) + 12)
    return html[start : following if following != -1 else len(html)]


def result_card(html: str) -> str:
    return html.split('id="result"')[1].split("</section>")[0]


def result_amount(html: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", html)
    assert match, f"no {label} in the result"
    return match[1]


# --- the list ---------------------------------------------------------------------------------


def test_list_shows_every_loaded_programme(client):
    # No django_db mark: the pages read the registry, and any database query would fail here.
    status, html = page(client, "list")

    assert status == 200
    assert "総社市" in html and "岡山県" in html and SOJA in html
    assert "熊本市" in html and "熊本県" in html and KUMAMOTO in html
    assert "令和7年4月1日〜" in html  # 総社市's version in force today, in 和暦
    assert "事前申請" in html and "利用カード" in html
    assert "26か所" in html and "4か所" in html  # 熊本市: three sample facilities and かねこ助産院
    assert f'href="{reverse("programs:detail", args=[SOJA])}"' in html
    assert f'href="{reverse("programs:quote", args=[KUMAMOTO])}"' in html


def test_navigation_and_home_page_link_to_the_list(client):
    html = client.get(reverse("core:home")).content.decode()
    assert html.count(f'href="{reverse("programs:list")}"') == 2  # the menu and the home page
    assert "制度の一覧" in html


# --- one programme ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [SOJA, KUMAMOTO])
def test_programme_page_has_every_section(client, code):
    status, html = page(client, "detail", code)

    assert status == 200
    for heading in (
        "利用できる方",
        "サービス",
        "利用上限",
        "市の負担額・自己負担",
        "申請の流れ",
        "委託施設",
        "出典",
        "確認中の事項",
    ):
        assert f">{heading}</h2>" in html, heading
    assert f'href="{reverse("programs:quote", args=[code])}"' in html


def test_soja_money_table_in_the_current_version(client):
    _, html = page(client, "detail", SOJA)

    assert money_cell(html, "生活保護世帯") == "短期入所（ショートステイ）型 1泊あたり: 26,000円"
    assert money_cell(html, "上記以外の方") == "短期入所（ショートステイ）型 1泊あたり: 17,000円"
    assert "2人目以降の赤ちゃん1人につき、1泊・1日・1回あたり5,500円" in html
    assert "令和7年4月1日〜</a>" in html and "表示中" in html


def test_soja_money_table_before_the_revision(client):
    status, html = page(client, "detail", SOJA, on="2025-03-31")

    assert status == 200
    assert money_cell(html, "生活保護世帯") == "短期入所（ショートステイ）型 1泊あたり: 21,000円"
    assert "多胎児加算" not in html
    # The old version, its end date, and a clear pointer to the later one.
    assert "令和7年3月31日時点の内容です。" in html
    assert "平成31年4月1日〜令和7年3月31日" in html
    assert "この日より後の令和7年4月1日から、新しい版があります。" in html
    assert "世帯に市町村税の滞納がないこと" in html  # required before the revision only
    assert "5泊まで" in html


def test_soja_eligibility_process_and_sources(client):
    _, html = page(client, "detail", SOJA)

    assert "里帰りなどで一時的に総社市にいる方も利用できます。" in html
    assert "産後1年以内のお母さんと赤ちゃん" in html
    assert "医療の必要がある" in html
    assert "お母さんだけでも利用できます。" in html
    assert "赤ちゃんだけのお預かりはできません。" in html
    assert 'href="tel:0866928261"' in html
    assert "〒719-1192 岡山県総社市中央一丁目1番1号" in html
    assert "利用日数・市の負担額の改正日は資料にないため2025年4月1日としています（要確認）" in html
    assert "総社市産後ケア事業のご案内" in html
    assert "産後ケア事業 委託医療機関等一覧（R8.4）" in html


def test_facility_windows_and_terms(client):
    _, html = page(client, "detail", SOJA)

    miyake = facility_card(html, "三宅医院")
    assert miyake.count("産後1か月未満") == 2  # both its services
    assert 'href="tel:0862825100"' in miyake
    kunitomi = facility_card(html, "くにとみクリニック")
    assert "産後3か月以内" in kunitomi
    assert "まず総社市役所 こども課 母子保健係へ連絡してください。" in kunitomi
    kurashiki = facility_card(html, "倉敷中央病院")
    assert "受診者のみ" in kurashiki
    kaneko = facility_card(html, "かねこ助産院")
    assert "居宅訪問（アウトリーチ）型" in kaneko and "産後1年以内" in kaneko
    assert "badge--sample" not in html  # 総社市's list is real


def test_kumamoto_usage_card_from_2024(client):
    _, html = page(client, "detail", KUMAMOTO, on="2024-06-01")

    assert "利用カード" in html
    assert "親子（母子）健康手帳と一緒に渡される利用カード" in html
    assert "申請に必要な書類" not in html


def test_kumamoto_pre_application_and_ward_offices_in_2023(client):
    _, html = page(client, "detail", KUMAMOTO, on="2023-06-01")

    assert '<span class="badge badge--mode">事前申請</span>' in html
    for ward, phone in (
        ("中央区役所", "0963282419"),
        ("東区役所", "0963679134"),
        ("西区役所", "0963291147"),
        ("南区役所", "0963574138"),
        ("北区役所", "0962721128"),
    ):
        assert f"{ward} 保健こども課" in html
        assert f'href="tel:{phone}"' in html
    assert "窓口、郵送、代理の方による申請" in html
    assert "市町村民税非課税を証明するもの（転入された方で、非課税世帯の場合のみ）" in html
    assert "申請から決定まで、7日程度かかります。" in html
    assert "保健師等が面接・電話で" in html
    assert "この日より後の令和6年4月1日から、新しい版があります。" in html


def test_kumamoto_services_caps_money_and_sample_facilities(client):
    _, html = page(client, "detail", KUMAMOTO)

    assert "10:00入所〜翌日12:00退所（1泊2日）" in html
    assert "<strong>3時間型</strong>: 2時間を超え3時間以下" in html
    assert "日帰り型（1日型・3時間型・2時間型）" in html  # the pooled cap
    assert money_cell(html, "上記以外の世帯") == "すべてのサービス: 10%"
    assert "1円未満は切り捨て" in html
    assert "別途食事代等がかかる場合があります" in html
    card = facility_card(html, "（サンプル）きた総合病院")
    assert '<span class="badge badge--sample">サンプル</span>' in card
    assert "産後4か月以内" in card and "料金 40,000円" in card
    assert "デモ用サンプル値（出典なし）" in html


def test_day_before_the_first_version(client):
    status, html = page(client, "detail", KUMAMOTO, on="2020-01-01")

    assert status == 200
    assert "令和2年1月1日には、この制度はまだありません。最初の版は令和5年4月1日からです。" in html
    assert 'id="money"' not in html


@pytest.mark.parametrize("on", ["2025-13-01", "yesterday", "令和99年99月1日"])
def test_unreadable_day_is_a_clear_message(client, on):
    status, html = page(client, "detail", SOJA, on=on)

    assert status == 400
    assert "は日付として読めません。2025-04-01 の形で指定してください。" in html
    assert "（今日）の内容を表示しています。" in html
    assert money_cell(html, "生活保護世帯").endswith("26,000円")


def test_day_may_be_typed_as_people_do(client):
    _, html = page(client, "detail", SOJA, on="２０２５／３／３１")
    assert money_cell(html, "生活保護世帯").endswith("21,000円")


@pytest.mark.parametrize("name", ["detail", "quote"])
def test_unknown_municipality_is_404(client, name):
    assert page(client, name, "999999")[0] == 404
    assert page(client, name, "soja")[0] == 404


# --- English ----------------------------------------------------------------------------------


def test_programme_page_in_english(client):
    response = client.get(reverse("programs:detail", args=[SOJA]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="en">' in html
    for chrome in ("Who can use it", "Caps", "Subsidy and copay", "How to apply", "Facilities"):
        assert chrome in html, chrome
    assert "1 April 2025" in html  # dates in English
    assert "¥26,000" in html
    assert "within 3 months of birth" in html
    # Document contents stay as the municipality wrote them.
    assert "総社市" in html and "生活保護世帯" in html
    for japanese in ("利用上限", "申請の流れ", "確認中の事項", "委託施設", "制度の一覧"):
        assert japanese not in html, japanese


def test_list_and_quote_in_english(client):
    html = client.get(reverse("programs:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Postpartum care programmes" in html and "Pre-application" in html

    url = reverse("programs:quote", args=[SOJA])
    html = client.post(url, WELFARE_STAY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fee estimate" in html and "Eligible" in html
    assert result_amount(html, "Paid by the municipality") == "¥26,000"
    assert result_amount(html, "You pay") == "¥4,000"


# --- the simulator ----------------------------------------------------------------------------


def test_simulator_form_before_submitting(client):
    status, html = page(client, "quote", SOJA)

    assert status == 200
    assert "試算の結果" not in html and "入力内容を確認してください" not in html
    assert '<option value="stay">短期入所（ショートステイ）型</option>' in html
    assert '<option value="welfare">生活保護世帯</option>' in html
    assert '<option value="kaneko-josanin">かねこ助産院</option>' in html
    for cap in ("stay", "day", "visit"):
        assert f'name="used_{cap}"' in html
    assert 'name="needs" value="support_needed"' in html
    assert 'name="exclusions" value="medical_care_needed"' in html
    assert 'name="mother_present" value="yes" id="id_mother_present_0" checked' in html


def test_simulator_welfare_stay(client):
    status, html = page(client, "quote", SOJA, **WELFARE_STAY)

    assert status == 200
    assert "利用できます" in html
    assert result_amount(html, "市の負担額") == "26,000円"
    assert result_amount(html, "自己負担額") == "4,000円"
    assert "利用料金 30,000円 × 1泊 = 30,000円" in html
    assert "<span>総社市の負担額</span> <strong>26,000円</strong>" in html
    assert "短期入所（ショートステイ）型: 今回 1泊、残り 6泊" in html
    assert "令和7年4月1日からの制度で計算" in html
    assert "計算の根拠" in html and "総社市産後ケア事業のご案内 【市の負担額】" in html
    assert "2025-04-01" not in result_card(html)


def test_simulator_reads_what_people_type(client):
    typed = {
        **WELFARE_STAY,
        "date": "令和8年5月10日",
        "birth_date": "２０２６／３／１",
        "fee": "３０，０００円",
    }
    _, html = page(client, "quote", SOJA, **typed)

    assert result_amount(html, "市の負担額") == "26,000円"
    assert 'value="３０，０００円"' in html  # shown as typed


def test_bad_date_shows_the_error_at_the_date_and_keeps_the_rest(client):
    _, html = page(client, "quote", SOJA, **{**WELFARE_STAY, "date": "2026-13-01"})

    assert "試算の結果" not in html
    date_field = field_block(html, "date")
    assert "日付として読めません" in date_field
    assert 'aria-invalid="true"' in date_field
    assert 'value="2026-13-01"' in date_field
    assert "日付として読めません" not in field_block(html, "fee")
    assert 'value="30000"' in field_block(html, "fee")
    assert 'value="2026-03-01"' in field_block(html, "birth_date")
    assert '<option value="stay" selected>' in html
    assert '<option value="welfare" selected>' in html
    assert '<option value="kaneko-josanin" selected>' in html
    assert 'href="#id_date_field"' in html  # the summary links to the field


def test_missing_choices_are_asked_for(client):
    _, html = page(client, "quote", SOJA, date="2026-05-10")

    assert "サービスを選んでください。" in field_block(html, "service")
    assert "世帯の区分を選んでください。" in field_block(html, "tier")
    assert "赤ちゃんの生まれた日を入力してください。" in field_block(html, "birth_date")


def test_day_care_by_duration_needs_times(client):
    params = {
        "service": "day",
        "date": "2026-05-10",
        "tier": "taxable",
        "birth_date": "2026-03-01",
        "facility": "sample-kumamoto-chuo-clinic",
    }
    _, html = page(client, "quote", KUMAMOTO, **params)
    assert "日帰り型は利用時間で区分が決まります" in field_block(html, "start")
    assert "そのほかの条件" in html and '<details class="form-section form-more" open>' in html

    # A time alone is on the day of use; five hours is 1日型 at the sample fee of 18,000 yen.
    _, html = page(client, "quote", KUMAMOTO, **params, start="１０：００", end="15:00")
    assert "利用できます" in html
    assert "日帰り型 1日型 1回" in html
    assert result_amount(html, "自己負担額") == "1,800円"  # 10% (sample), 円未満切り捨て
    assert result_amount(html, "市の負担額") == "16,200円"
    assert "（サンプル）中央レディースクリニックの料金はデモ用のサンプル値です。" in html


def test_every_reason_is_given(client):
    params = {
        **WELFARE_STAY,
        "facility": "miyake-clinic",
        "mother_present": "no",
        "exclusions": "medical_care_needed",
        "used_stay": "7",
    }
    _, html = page(client, "quote", SOJA, **params)

    assert "利用できません" in html
    reasons = html.split('class="result__reasons"')[1].split("</ul>")[0]
    assert reasons.count("<li>") == 4
    assert "赤ちゃんだけのお預かりはできません" in reasons
    assert "医療の必要があるの場合は利用できません。" in reasons
    assert "三宅医院の短期入所（ショートステイ）型は産後1か月未満（令和8年3月31日まで）" in reasons
    assert "短期入所（ショートステイ）型の残りは0泊です（今回1泊）。" in reasons
    assert "amount--subsidy" not in result_card(html)
    assert "短期入所（ショートステイ）型: 残り 0泊" in html


def test_own_patients_only_and_residence(client):
    params = {**WELFARE_STAY, "facility": "kurashiki-central-hospital", "own_patient": "no"}
    _, html = page(client, "quote", SOJA, **params, residence="non_resident")

    reasons = result_card(html)
    assert "倉敷中央病院は受診者のみ利用できます。" in reasons
    assert "総社市にお住まいの方" in reasons
    assert 'value="non_resident" id="id_residence_2" checked' in html


def test_used_amount_error_is_shown_at_its_cap(client):
    _, html = page(client, "quote", SOJA, **WELFARE_STAY, used_stay="たくさん")
    assert "整数で書いてください" in field_block(html, "used_stay")


# --- any valid document renders ---------------------------------------------------------------


@pytest.fixture
def invented_programmes(settings):
    """The rules core's invented test programmes, loaded beside the shipped ones."""
    invented = Path(__file__).resolve().parents[2] / "rules" / "tests" / "programs"
    settings.SANGO_PROGRAM_DIRS = [default_program_dir(), sample_program_dir(), invented]
    get_registry.cache_clear()
    yield get_registry()
    get_registry.cache_clear()


def test_every_shape_of_document_renders(client, invented_programmes):
    for program in invented_programmes:
        for rules in program.versions:
            day = rules.effective_from.isoformat()
            status, html = page(client, "detail", program.code, on=day)
            assert status == 200, (program.code, day)
            assert program.name in html
        assert page(client, "quote", program.code)[0] == 200


def test_funding_layers_with_conditions(client, invented_programmes):
    _, html = page(client, "detail", "229016", on="2026-06-01")  # ゆりかご市 (invented)

    assert "負担は上から順に、まだ支払われていない額に対して適用されます。" in html
    assert "対象の世帯: 市民税非課税世帯" in html
    assert "各サービスの1回目から5回目までの利用" in html
    assert "期間: 令和8年4月1日〜令和9年3月31日" in html
    assert "宿泊型・日帰り型・訪問型（あわせて数えます）" in html
    assert "多胎の場合は、2人目以降の赤ちゃん1人につき7日を加えます。" in html
    # はぐくみ町: amounts by use, a copay ceiling and programme-defined tiers.
    _, html = page(client, "detail", "209023")
    assert "1回目: 4,000円、2回目以降: 3,000円" in html
    assert "自己負担の上限" in html and "ひとり親世帯" in html


def test_a_copay_that_rises_per_additional_infant_says_so(client, invented_programmes):
    status, html = page(client, "detail", "159093", on="2026-06-01")
    assert status == 200
    assert "自己負担の多胎加算（2人目以降の赤ちゃん1人につき）" in html
    assert "1,800円" in html
