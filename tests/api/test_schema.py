"""schemathesis against the app in-process (ASGI) with every check, signed in as the administrator
and as an operator: no 5xx, every answer as documented, loose or oversized input refused."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as CHECKS_REGISTRY
from schemathesis.checks import is_check_class, load_all_checks
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup
from schemathesis.python.asgi import ASGIClient

from api.app import create_app
from core.work.inputs import NewAction, TagEdit, ViewDraft
from tests.api.world import World
from tests.call_world import add_campaign, add_member, add_office, add_slot
from tests.helpers import MAIN_DESK, PASSWORD

MAX_EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "40"))
load_all_checks()
# Every check schemathesis has; none is left out. The ones that need a word:
# - positive_data_acceptance: valid by the schema is not always valid for the domain, so its
#   expected answers add 403 (the role may not), 404 (an id of no object, or of another desk),
#   409 (a stale version, a full slot) and 422 (a rule the schema cannot say: an empty surname,
#   an unknown template or result, a birth date in the future). 400, 405, 413 and 5xx still fail.
#   The two sign-in steps answer 401 to a well-formed but wrong login, password or code, and
#   429 once the fuzzer's many attempts from one address pass the sign-in limit (core/throttle.py).
# - negative_data_rejection: an "additional query parameter" whose value is an empty list is never
#   sent (the client drops it), so the request that reaches the server is valid and 200 is right;
#   such a case is told apart by the URL actually sent carrying only the operation's own parameters
#   (`_accepted_but_never_sent`). Likewise a case whose only invalid parts are declared query
#   parameters the client dropped (an empty list) and the Authorization header (the test sends a
#   real token instead): the server never saw them. Every other accepted negative case still fails.
# - use_after_free, ensure_resource_availability: need stateful links (no DELETE in this API);
#   they run and pass trivially.
# - negative_data_rejection: schemathesis's own list of rejections plus 413: a body over the
#   documented 64 KiB is refused before it is parsed, which is a rejection too.
REJECTIONS = (400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx")
CHECKS = [check for check in CHECKS_REGISTRY.get_all() if not is_check_class(check)]
# In CI the fuzzer replays the same cases on every run, as Hypothesis's own "ci" profile does for
# the other property tests: a red CI run is reproduced locally with `CI=1`. Elsewhere each run
# explores new cases.
IN_CI = os.environ.get("CI", "false") not in ("", "false")
SETTINGS: dict[str, Any] = {
    "generation": {"deterministic": IN_CI},
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", 403, 404, 409, 422]},
        "negative_data_rejection": {"expected-statuses": [*REJECTIONS]},
    },
    "operations": [
        {
            "include-path-regex": "/auth/(login|verify)$",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", 401, 422, 429]}},
        },
        {  # I4: the platform's webhook is signed (HMAC), not a bearer token: unsigned, it is 401
            # (422 for text with NUL characters, refused before anything else as everywhere)
            "include-path-regex": "/events$",
            "checks": {"positive_data_acceptance": {"expected-statuses": [401, 422]}},
        },
    ],
}
ROLES = {"admin": "adm", "operator": "op_a"}


@pytest.fixture
def fuzz_world(sqlite_world: World) -> Iterator[World]:
    """Something for the ids the fuzzer tries (1, 2, …) to find: clients (the second and third flagged
    as possible duplicates: one passport), a campaign with a list, an office, an action and a shared view."""
    campaign = add_campaign(sqlite_world.crm, "halva_cross_sell", desk=MAIN_DESK)
    for desk in ("A", "A", "B"):
        passport = {"passport_series": "4510", "passport_number": "100001"}
        card = sqlite_world.client(desk, email="fuzz.target@example.org", **passport)
        add_member(sqlite_world.crm, campaign, card.id)
    planner = sqlite_world.local("adm")  # an action, a tag and a view for the pipeline's ids
    planner.add_action(card.id, NewAction(type="call", due_at=card.created_at))
    planner.edit_tags(card.id, TagEdit(add=["fuzz"]))
    planner.save_view(ViewDraft(name="Fuzz", subject="clients", shared=True))
    office = add_office(sqlite_world.crm)
    add_slot(sqlite_world.crm, office, datetime.now(UTC) + timedelta(days=2))
    yield sqlite_world


# The routes in groups of 15-25 operations, one test per group and role, so that the workers share
# the fuzzing; the last group is every route no other names, so a new route is always covered.
GROUPS = {
    "clients": ("clients",),
    "admin": ("admin",),
    "campaigns": ("campaigns", "lists", "call-lists", "calls", "products"),
    "reports": ("reports", "views", "tasks"),
    "automation": ("automation", "auth", "trading", "imports", "offices"),
}
NAMED = tuple(segment for segments in GROUPS.values() for segment in segments)


def _route_regex(segments: tuple[str, ...]) -> str:
    return "^/api/v1/(" + "|".join(re.escape(s) for s in segments) + ")(/|$)"


def config_of(group: str) -> schemathesis.Config:
    """SETTINGS with the routes outside `group` disabled (a schema's own filters are replaced by
    the test's; the configuration's are kept)."""
    outside = "^(?!" + _route_regex(GROUPS[group])[1:] + ")" if group in GROUPS else _route_regex(NAMED)
    operations = [*SETTINGS["operations"], {"include-path-regex": outside, "enabled": False}]
    return schemathesis.Config.from_dict({**SETTINGS, "operations": operations})


@pytest.fixture(params=[*GROUPS, "the rest"])
def route_group(request: pytest.FixtureRequest) -> str:
    return request.param


_DOCUMENT: dict[str, Any] = {}


def _app(target: str) -> Any:
    """The app over `target`, its OpenAPI document built once per process: the document is the
    same for every database (the routes are), and FastAPI builds it anew for each app (~0.7 s)."""
    app = create_app(target)
    if not _DOCUMENT:
        _DOCUMENT.update(app.openapi())
    app.openapi_schema = _DOCUMENT
    return app


@pytest.fixture
def api_schema(fuzz_world: World, route_group: str) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", _app(fuzz_world.target), config=config_of(route_group))


@pytest.fixture
def asgi(api_schema: Any) -> Iterator[ASGIClient]:
    """One in-process client for the test's calls, in place of one made per call; it looks up no
    proxy or .netrc of the environment per request, and its cookies are cleared before each call."""
    with ASGIClient(api_schema.app) as client:
        client.trust_env = False
        yield client


@pytest.fixture
def tokens(api_schema: Any, fuzz_world: World) -> dict[str, dict[str, str]]:
    """Bearer headers of the administrator (every desk) and of an operator (one desk, masked)."""
    from fastapi.testclient import TestClient

    headers = {}
    with TestClient(api_schema.app) as http:
        for role, login in ROLES.items():
            challenge = http.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD}).json()
            code = fuzz_world.crm.last_code(login)
            body = http.post("/api/v1/auth/verify", json={"challenge_id": challenge["challenge_id"], "code": code})
            headers[role] = {"Authorization": f"Bearer {body.json()['access_token']}"}
    return headers


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path="/api/v1/auth/logout")


VIOLATION = re.compile(r"^\s*- (query|header|path|body): violates .* at /properties/([^/\s]+)", re.MULTILINE)


def _accepted_but_never_sent(case: Any, response: Any, failure: Exception) -> bool:
    """The negative part of the case never reached the server: a query parameter the client did
    not send at all, or the Authorization header the test replaces."""
    if not isinstance(failure, AcceptedNegativeData):
        return False
    sent = {name for name, _ in parse_qsl(urlsplit(str(response.request.url)).query, keep_blank_values=True)}
    declared = {p.name for p in case.operation.query}
    generated = set(case.query or {})
    if generated - declared and sent <= declared:
        return True
    invalid = VIOLATION.findall(str(failure.message))
    return bool(invalid) and all(
        (where == "query" and name not in sent) or (where == "header" and name == "Authorization")
        for where, name in invalid
    )


def _call_and_validate(case: Any, headers: dict[str, str], client: ASGIClient) -> None:
    client.cookies.clear()  # each call as from a new client, as schemathesis's own per-call one
    response = case.call(headers=headers, session=client)
    try:
        case.validate_response(response, headers=headers, checks=CHECKS)
    except FailureGroup as group:
        if not all(_accepted_but_never_sent(case, response, f) for f in group.exceptions):
            raise


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_to_the_admin(
    case: Any, tokens: dict[str, dict[str, str]], route_group: str, asgi: ASGIClient
) -> None:
    _call_and_validate(case, tokens["admin"], asgi)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_to_an_operator(
    case: Any, tokens: dict[str, dict[str, str]], route_group: str, asgi: ASGIClient
) -> None:
    _call_and_validate(case, tokens["operator"], asgi)


def test_the_route_groups_cover_every_route_once(sqlite_world: World) -> None:
    from schemathesis.filters import FilterSet

    app = _app(sqlite_world.target)

    def labels(config: schemathesis.Config) -> list[str]:
        loaded = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
        loaded = loaded.clone(filter_set=loaded.config.operations.filter_set_with(include=FilterSet()))
        return [result.ok().label for result in loaded.get_all_operations()]

    every = labels(schemathesis.Config.from_dict(SETTINGS))
    grouped = [label for group in [*GROUPS, "the rest"] for label in labels(config_of(group))]
    assert sorted(grouped) == sorted(every) and len(every) > 100


def test_a_negative_case_the_server_never_saw_is_no_failure() -> None:
    """A declared query parameter dropped by the client and a replaced Authorization header: the
    request sent was valid, so 200 is right; an invalid parameter that was sent still fails."""
    from types import SimpleNamespace

    def accepted(*components: str) -> AcceptedNegativeData:
        lines = "".join(f"\n  - {c}" for c in components)
        message = "Invalid data should have been rejected\nInvalid component:" + lines
        return AcceptedNegativeData(operation="GET /x", message=message, status_code=200, expected_statuses=["4xx"])

    case = SimpleNamespace(operation=SimpleNamespace(query=[SimpleNamespace(name="role")]), query={"role": []})
    response = SimpleNamespace(request=SimpleNamespace(url="http://testserver/x?active=true"))
    dropped = ("query: violates `anyOf` at /properties/role", "header: violates `format` at /properties/Authorization")
    assert _accepted_but_never_sent(case, response, accepted(*dropped))
    sent = SimpleNamespace(request=SimpleNamespace(url="http://testserver/x?role=x"))
    assert not _accepted_but_never_sent(case, sent, accepted(dropped[0]))
    assert not _accepted_but_never_sent(case, response, accepted("header: violates `format` at /properties/X-Other"))
