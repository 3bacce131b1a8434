"""The hot paths ``bench_web.py`` drives, as a real caller sends them: API calls with a token,
portal pages with a logged-in session, public pages anonymous."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode

from benchmarks.web_data import FACILITY, FEES, Fixture, Presented, use_days
from benchmarks.web_load import Endpoint

SOJA = "332089"

BARE = Endpoint("bare view A: SELECT 1 JsonResponse", "/bench/bare/")


QUOTE_CSRF = "benchBENCHbenchBENCHbenchBENCH32"  # 32 letters: a CSRF secret Django accepts


def _api(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}", "Content-Type": "application/json"}


def _portal(session: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={session}"}


def _portal_post(session: str) -> dict[str, str]:
    """A portal form's POST: the session, and the same CSRF secret as cookie and field."""
    return {
        "Cookie": f"sessionid={session}; csrftoken={QUOTE_CSRF}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _form(fields: dict[str, str]) -> str:
    return urlencode({"csrfmiddlewaretoken": QUOTE_CSRF, **fields})


def _shown(voucher: Presented) -> dict[str, str]:
    return {"number": voucher.number, "mother_birth_date": voucher.birth_date}


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)


def _one(service: str) -> dict[str, int]:
    return {"quantity": 1, "fee": FEES[service]}


def uses_list(fixture: Fixture, count: int) -> Endpoint:
    """The clerk's first page of 総社市's uses, named with how many there are."""
    return Endpoint(
        f"GET /api/uses/ (clerk, {count:,} uses)",
        "/api/uses/",
        headers=_api(fixture.clerk_token),
        contains='"results"',
    )


def _uses_recorded(fixture: Fixture) -> list[str]:
    """One body per use the fresh vouchers can take: voucher after voucher, so that
    consecutive requests lock different vouchers, as at a busy reception."""
    return [
        _json({**_shown(v), "service": service, "day": day.isoformat(), **_one(service)})
        for service, day in use_days(fixture.today)
        for v in fixture.pool
    ]


def endpoints_for(fixture: Fixture, *, quick: bool) -> list[Endpoint]:
    """Every endpoint in the order measured: the clerk's list first, while it holds only the
    uses provisioned for it (recording adds to the same city's list)."""
    from sango.usage.models import Use

    today = fixture.today
    facility_api = _api(fixture.facility_token)
    # The simulator is a POST form (issue 9 A9: no birth date in an address). The same CSRF
    # secret as cookie and form field, as Django accepts: the same work as a visitor's post.
    quote_body = (
        f"csrfmiddlewaretoken={QUOTE_CSRF}&service=stay&date={today.isoformat()}&tier=taxable"
        f"&birth_date={(today - timedelta(days=30)).isoformat()}"
        f"&facility={FACILITY}&fee=30000"
    )
    refused_day = (today - timedelta(days=30)).isoformat()
    every = [
        uses_list(fixture, Use.objects.filter(municipality__code=SOJA).count()),
        Endpoint(
            "bare view B: DRF with token auth",
            "/bench/bare-api/",
            headers=_api(fixture.clerk_token),
        ),
        Endpoint("GET /programmes/ (finder)", "/programmes/"),
        Endpoint(f"GET /programmes/{SOJA}/ (programme page)", f"/programmes/{SOJA}/"),
        Endpoint(
            f"POST /programmes/{SOJA}/quote/ (simulator, valid)",
            f"/programmes/{SOJA}/quote/",
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={QUOTE_CSRF}",
            },
            bodies=[quote_body],
            contains="試算の結果",
        ),
        Endpoint(
            "POST /api/vouchers/verify/",
            "/api/vouchers/verify/",
            method="POST",
            headers=facility_api,
            bodies=[_json(_shown(fixture.verified))],
        ),
        Endpoint(
            "POST /api/uses/ (201)",
            "/api/uses/",
            method="POST",
            headers=facility_api,
            bodies=_uses_recorded(fixture),
            keyed=True,
            expect=201,
        ),
        Endpoint(
            "POST /api/uses/ (422 cap reached)",
            "/api/uses/",
            method="POST",
            headers=facility_api,
            bodies=[
                _json(
                    {
                        **_shown(fixture.capped),
                        "service": "stay",
                        "day": refused_day,
                        **_one("stay"),
                    }
                )
            ],
            keyed=True,
            expect=422,
            contains="cap_reached",
        ),
        Endpoint("GET /staff/ (inbox)", "/staff/", headers=_portal(fixture.clerk_session)),
        Endpoint(
            "GET /staff/cases/<pk>/ (case page)",
            f"/staff/cases/{fixture.case_pk}/",
            headers=_portal(fixture.clerk_session),
        ),
        Endpoint("GET /facility/ (today)", "/facility/", headers=_portal(fixture.facility_session)),
        Endpoint(
            "GET /facility/check/ (voucher check)",
            "/facility/check/",
            headers=_portal(fixture.facility_session),
        ),
        # A check that succeeds keeps the voucher in the session and goes to its page.
        Endpoint(
            "POST /facility/check/ (number and birth date)",
            "/facility/check/",
            method="POST",
            headers=_portal_post(fixture.facility_session),
            bodies=[
                _form(
                    {
                        "how": "number",
                        "number": fixture.verified.number,
                        "mother_birth_date": fixture.verified.birth_date,
                    }
                )
            ],
            expect=302,
        ),
        Endpoint(
            "GET /facility/uses/new/ (use form)",
            "/facility/uses/new/",
            headers=_portal(fixture.facility_session),
        ),
        # 「確認する」: the rules' preview of a use, nothing recorded (the one-time token is
        # spent only by 「記録する」).
        Endpoint(
            "POST /facility/uses/new/ (preview)",
            "/facility/uses/new/",
            method="POST",
            headers=_portal_post(fixture.facility_session),
            bodies=[
                _form(
                    {
                        "once": "bench-preview",
                        "service": "day",
                        "start_day": (today - timedelta(days=1)).isoformat(),
                        "infants": "1",
                        "fee": str(FEES["day"]),
                    }
                )
            ],
            contains="記録する前に確認してください",
        ),
        Endpoint(
            "GET /my/vouchers/<pk>/ (mother's voucher)",
            f"/my/vouchers/{fixture.mother_voucher_pk}/",
            headers=_portal(fixture.mother_session),
        ),
    ]
    if quick:
        kept = (
            "GET /api/uses/",
            "bare view B",
            "GET /programmes/3",
            "POST /api/vouchers",
            "POST /api/uses/ (201)",
            "GET /staff/ ",
            "GET /facility/check/",
            "POST /facility/check/",
            "POST /facility/uses/new/",
            "GET /my/vouchers/",
        )
        every = [e for e in every if e.name.startswith(kept)]
    return every
