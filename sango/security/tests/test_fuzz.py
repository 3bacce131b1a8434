"""Fuzzing the API from its own OpenAPI schema (schemathesis), as each kind of caller:
anonymous, a clerk, an approver, a facility and a mother. Every operation gets a few generated
requests (valid and invalid bodies, odd query strings, huge numbers, strange text), and a
stateful run chains operations through what earlier answers returned (schemathesis infers the
links from the schema: an id created by one call is used by the next), so that the requests
also reach objects that exist — the world below gives each role a voucher, a use, a claim.
The only failure is a server error: the API must answer every request with a 4xx at worst.

Bounded: ``FUZZ_EXAMPLES`` per operation and role and ``FUZZ_STEPS`` stateful steps, about a
minute and a half in all on SQLite; ``make test`` runs it (marked ``fuzz``; ``-m "not fuzz"``
leaves it out while working).
"""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken

pytestmark = pytest.mark.fuzz

HOST = "localhost"
ROLES = ["anonymous", "clerk", "approver", "facility", "mother"]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
STEPS = int(os.environ.get("FUZZ_STEPS", "30"))
SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS", "6"))
SETTINGS = dict(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    print_blob=False,
)


@pytest.fixture(scope="module", autouse=True)
def _connections_kept():
    """schemathesis calls the WSGI application itself, not through Django's test client, so
    each request's end would close the database connection — and with it the test's
    transaction on PostgreSQL. Django's test client keeps it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(_connections_kept, django_db_setup, django_db_blocker):
    """Read once, from the site itself (the request touches the database: the session)."""
    with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=[HOST]):
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _host(settings) -> None:
    """schemathesis calls the WSGI application as ``localhost``."""
    settings.ALLOWED_HOSTS = [HOST]


def _headers(world, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    _objects, people, _others = world
    return {"Authorization": f"Token {AuthToken.objects.create(people[role])[1]}"}


def _server_errors(response, case) -> str | None:
    if response.status_code >= 500:
        body = response.text[:300]
        where = f"{case.method} {case.formatted_path} {case.query or ''}"
        return f"{where} → {response.status_code}: {body}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_no_generated_request_gets_a_server_error(schema, world, role):
    headers = _headers(world, role)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis_settings(max_examples=EXAMPLES, **SETTINGS)
        @given(case=operation.as_strategy())
        def run(case) -> None:
            failure = _server_errors(case.call(headers=headers), case)
            if failure:
                failures.append(failure)

        run()
    assert not failures, "\n".join(sorted(set(failures)))


@pytest.mark.parametrize("role", ROLES)
def test_no_chain_of_requests_gets_a_server_error(schema, world, role):
    headers = _headers(world, role)
    failures: list[str] = []

    class Chain(schema.as_state_machine()):
        def get_call_kwargs(self, case) -> dict:
            return {"headers": headers}

        def validate_response(self, response, case, **kwargs) -> None:
            failure = _server_errors(response, case)
            if failure:
                failures.append(failure)

    hypothesis.stateful.run_state_machine_as_test(
        Chain,
        settings=hypothesis_settings(max_examples=SCENARIOS, stateful_step_count=STEPS, **SETTINGS),
    )
    assert not failures, "\n".join(sorted(set(failures)))
