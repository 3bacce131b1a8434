"""The site-wide access matrix, generated from the URL configuration: every named address of
the site and every operation of the API's OpenAPI schema must be covered by a matrix, or this
test fails — a new page or endpoint cannot ship without saying who may use it.

- /staff/ and /facility/ have matrices of their own (their ``tests/test_access.py`` walk their
  URL configuration: anonymous → login, other roles → 403, another municipality/facility → 404);
  /my/'s is checked here by kind of account, and by its own matrix where one exists.
- Public pages: anyone may GET them.
- /admin/: only administrators; everyone else is sent to the admin login.
- The API: ``API`` below says, per operation, which roles may call it; the rest get 401
  (anonymous) or 403/404, and another municipality's, facility's or mother's account finds none
  of the objects (404).
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sango.core.tests import factories as f

# Doors whose own matrix walks their URL configuration.
OWN_MATRIX = {
    "staff": "sango.portals.staff.tests.test_access",
    "facility": "sango.portals.facility.tests.test_access",
}
# Pages anyone may open.
PUBLIC = {
    "core:home",
    "core:healthz",
    "programs:list",
    "programs:detail",
    "programs:quote",
    "set_language",
}
# /my/ pages that need no account: the way in, sign-up, password reset, finding a facility,
# and the files the browser fetches for the offline voucher.
MY_PUBLIC = {
    "my:login",
    "my:logout",
    "my:signup",
    "my:signup_sent",
    "my:signup_resend",
    "my:verify",
    "my:claim",
    "my:password_reset",
    "my:password_reset_done",
    "my:password_reset_confirm",
    "my:password_reset_complete",
    "my:find",
    "my:find_form",
    "my:find_results",
    "my:service_worker",
    "my:manifest",
    "my:postal",
}
# API addresses outside the schema: the schema itself and its two readers.
API_DOCS = {"api:schema", "api:docs", "api:redoc"}
# Addresses without a name: the admin's and the API's catch-alls (404s), the admin's
# object-id redirects.
UNNAMED = {"admin/(?P<url>.*)$", "api/^(?P<path>.*/)$"}

# django-otp's admin answers an unknown device id with a server error (an uncaught
# DoesNotExist in its QR code views); only an administrator reaches them.
ADMIN_500_UPSTREAM = {"admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"}

STAFF, FACILITY, MOTHER = {"clerk", "approver"}, {"facility"}, {"mother"}
APPROVER = {"approver"}


@dataclass(frozen=True)
class Op:
    """Who may call an operation, and which object its ``{id}`` names (None: no object)."""

    roles: set[str] = field(default_factory=set)
    obj: str | None = None
    public: bool = False


API = {
    "applications_list": Op(STAFF | MOTHER),
    "applications_create": Op(STAFF | MOTHER),
    "applications_retrieve": Op(STAFF | MOTHER, "application"),
    "applications_approve_create": Op(APPROVER, "application"),
    "applications_audit_list": Op(STAFF, "application"),
    "applications_interview_create": Op(STAFF, "application"),
    "applications_reject_create": Op(APPROVER, "application"),
    "applications_submit_create": Op(STAFF | MOTHER, "draft"),
    "applications_verify_tier_create": Op(STAFF, "application"),
    "audit_list": Op(STAFF),
    "auth_logout_create": Op(STAFF | FACILITY | MOTHER),
    "auth_logout_all_create": Op(STAFF | FACILITY | MOTHER),
    "auth_token_create": Op(public=True),
    "bookings_list": Op(STAFF | FACILITY | MOTHER),
    "bookings_create": Op(STAFF | FACILITY),
    "bookings_retrieve": Op(STAFF | FACILITY | MOTHER, "booking"),
    "bookings_cancel_create": Op(STAFF | FACILITY | MOTHER, "booking"),
    "change_requests_list": Op(STAFF | MOTHER),
    "change_requests_create": Op(STAFF | MOTHER),
    "change_requests_retrieve": Op(STAFF | MOTHER, "change"),
    "change_requests_decide_create": Op(APPROVER, "change"),
    "claims_list": Op(STAFF | FACILITY),
    "claims_retrieve": Op(STAFF | FACILITY, "claim"),
    "claims_approve_create": Op(APPROVER, "claim"),
    "claims_lines_review_create": Op(STAFF, "claim"),
    "claims_return_create": Op(STAFF, "claim"),
    "claims_submit_create": Op(FACILITY, "claim"),
    "claims_generate_create": Op(FACILITY),
    "mothers_list": Op(STAFF | MOTHER),
    "mothers_create": Op(STAFF),
    "mothers_retrieve": Op(STAFF | MOTHER, "mother"),
    "programmes_list": Op(public=True),
    "programmes_retrieve": Op(public=True),
    "reimbursements_list": Op(STAFF | MOTHER),
    "reimbursements_create": Op(STAFF | MOTHER),
    "reimbursements_retrieve": Op(STAFF | MOTHER, "reimbursement"),
    "reimbursements_approve_create": Op(APPROVER, "reimbursement"),
    "reimbursements_reject_create": Op(APPROVER, "reimbursement"),
    "usage_cards_create": Op(STAFF),
    "uses_list": Op(STAFF | FACILITY | MOTHER),
    "uses_create": Op(FACILITY),
    "uses_retrieve": Op(STAFF | FACILITY | MOTHER, "use"),
    "uses_correct_create": Op(STAFF | FACILITY, "use"),
    "uses_void_create": Op(STAFF | FACILITY, "use"),
    "uses_quote_create": Op(STAFF | FACILITY | MOTHER),
    "vouchers_retrieve": Op(STAFF | FACILITY | MOTHER, "voucher"),
    "vouchers_verify_create": Op(STAFF | FACILITY),
}


def named_patterns(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    """(full name or None, route) of every address in the URL configuration."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from named_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern


def schema_operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path) of every operation of the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (operation["operationId"], method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_address_of_the_site_is_in_a_matrix():
    missing = []
    for name, route, _pattern in named_patterns():
        if name is None:
            if route not in UNNAMED and not route.startswith("admin/"):
                missing.append(route)
            continue
        door = name.split(":")[0] if ":" in name else ""
        if door in OWN_MATRIX or door == "admin" or name in PUBLIC or name in API_DOCS:
            continue
        if door == "my":
            continue  # every /my/ address is tried below, public or not
        if door == "api":
            continue  # the API is checked operation by operation against the schema
        missing.append(name)
    assert not missing, f"addresses in no access matrix: {missing}"
    for door, module in OWN_MATRIX.items():
        assert importlib.util.find_spec(module), f"/{door}/ has no access matrix ({module})"


def test_every_api_operation_is_in_the_matrix():
    operations = {op for op, _method, _path in schema_operations()}
    assert sorted(operations - set(API)) == [], "API operations missing from API"
    assert sorted(set(API) - operations) == [], "API lists operations that no longer exist"
    # Every API address is either in the schema or one of its readers.
    in_schema = {path for _op, _method, path in schema_operations()}
    for name, route, _pattern in named_patterns():
        if name and name.startswith("api:") and name not in API_DOCS:
            path = "/" + route.replace("^", "").replace("$", "")
            assert any(_same(path, p) for p in in_schema), f"{name} ({path}) is not in the schema"


def _same(route: str, schema_path: str) -> bool:
    """Whether a Django route (regex groups) and an OpenAPI path ({id}) name one address."""
    pattern = re.sub(
        r"\{[^}]+\}", "[^/]+", re.escape(schema_path).replace(r"\{", "{").replace(r"\}", "}")
    )
    shape = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    return re.fullmatch(pattern, shape) is not None


def _dummy_args(pattern: URLPattern) -> dict:
    """Arguments that fit the address (ids of objects that do not exist)."""
    values = {"int": 999999, "slug": "x", "str": "x", "path": "x"}
    args = {
        key: values.get(type(conv).__name__.removesuffix("Converter").lower(), "x")
        for key, conv in pattern.pattern.converters.items()
    }
    if "app_label" in pattern.pattern.regex.groupindex:
        args["app_label"] = "accounts"
    return args


def _my_addresses() -> list[tuple[str, str]]:
    found = []
    for name, _route, pattern in named_patterns():
        if name and name.startswith("my:") and name not in MY_PUBLIC:
            found.append((name, reverse(name, kwargs=_dummy_args(pattern))))
    return found


def test_my_addresses_admit_only_mothers(client_for, db):
    f.load_programmes()
    anonymous = client_for(None)
    others = [client_for(f.clerk()), client_for(f.facility_staff("kaneko-josanin"))]
    for name, url in _my_addresses():
        for response in (anonymous.get(url), anonymous.post(url, {})):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/my/login/"), name
        for client in others:
            for response in (client.get(url), client.post(url, {})):
                assert response.status_code in (403, 405), (name, response.status_code)


def test_public_pages_open_to_anyone(client_for, db):
    f.load_programmes()
    for name, _route, pattern in named_patterns():
        if name in PUBLIC | MY_PUBLIC | API_DOCS:
            args = _dummy_args(pattern)
            if "code" in args:
                args = {"code": f.SOJA}
            url = reverse(name, kwargs=args)
            response = client_for(None).get(url)
            assert response.status_code < 500 and response.status_code not in (401, 403), (
                name,
                response.status_code,
            )


def test_the_admin_is_for_administrators_only(client_for, db):
    f.load_programmes()
    admin = f.admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    clerk = f.clerk()
    clerk.is_staff = True  # as in the demo: staff accounts may reach the admin's login
    clerk.save()
    outsiders = [client_for(None), client_for(f.mother_user())]
    inside = client_for(admin)
    for name, _route, pattern in named_patterns():
        if not name or not name.startswith("admin:") or name in {"admin:login", "admin:logout"}:
            continue
        url = reverse(name, kwargs=_dummy_args(pattern))
        for client in outsiders:
            response = client.get(url)
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/admin/login/"), name
        if name not in ADMIN_500_UPSTREAM:
            assert inside.get(url).status_code < 500, name


def _call(client: APIClient, method: str, path: str, objects: dict, op: Op):
    url = path
    if "{id}" in url:
        url = url.replace("{id}", str(objects[op.obj].pk))
    url = url.replace("{line_id}", str(_line(objects)))
    url = url.replace("{code}", f.SOJA)
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, "{}", content_type="application/json")


def _line(objects: dict) -> int:
    claim = objects.get("claim")
    line = claim.lines.first() if hasattr(claim, "lines") else None
    return line.pk if line else 999999


class Nothing:
    """Stands for an object that does not exist."""

    pk = 999999


def test_the_api_admits_each_role_to_its_operations_only(world):
    objects, people, others = world
    wrong = []
    for op_id, method, path in schema_operations():
        op = API[op_id]
        if op_id.startswith("auth_"):
            continue  # the token endpoints: tests/test_lockout.py, tests/test_sessions.py
        anonymous = _call(APIClient(), method, path, objects, op)
        if op.public:
            if anonymous.status_code in (401, 403) or anonymous.status_code >= 500:
                wrong.append((op_id, "anonymous", anonymous.status_code))
            continue
        if anonymous.status_code != 401:
            wrong.append((op_id, "anonymous", anonymous.status_code))
        for role, user in people.items():
            client = APIClient()
            client.force_authenticate(user)
            response = _call(client, method, path, objects, op)
            status = response.status_code
            allowed = role in op.roles
            # A list is scoped rather than refused: a role it is not for gets an empty one.
            empty_list = method == "GET" and status == 200 and response.json().get("results") == []
            if (
                status >= 500
                or (allowed and status in (401, 403))
                or (not allowed and status not in (403, 404) and not empty_list)
            ):
                wrong.append((op_id, role, status))
            if allowed and op.obj:
                outsider = APIClient()
                outsider.force_authenticate(others[role])
                seen = _call(outsider, method, path, objects, op).status_code
                # 404, or at least exactly the answer for an id that does not exist (a body
                # refused before the object is looked up tells nothing about it).
                nowhere = _call(outsider, method, path, {op.obj: Nothing()}, op).status_code
                if seen != 404 and seen != nowhere:
                    wrong.append((op_id, f"other {role}", seen))
    assert not wrong, "\n".join(f"{op} as {who}: {status}" for op, who, status in wrong)
