"""schemathesis against the app in-process (ASGI) with every check, signed in as the administrator
and as an operator: no 5xx, every answer as documented, loose or oversized input refused."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis.errors import HypothesisException
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


def _fill(world: World) -> World:
    """Something for the ids the fuzzer tries (1, 2, …) to find: clients (the second and third flagged
    as possible duplicates: one passport), a campaign with a list, an office, an action and a shared view."""
    campaign = add_campaign(world.crm, "halva_cross_sell", desk=MAIN_DESK)
    for desk in ("A", "A", "B"):
        passport = {"passport_series": "4510", "passport_number": "100001"}
        card = world.client(desk, email="fuzz.target@example.org", **passport)
        add_member(world.crm, campaign, card.id)
    planner = world.local("adm")  # an action, a tag and a view for the pipeline's ids
    planner.add_action(card.id, NewAction(type="call", due_at=card.created_at))
    planner.edit_tags(card.id, TagEdit(add=["fuzz"]))
    planner.save_view(ViewDraft(name="Fuzz", subject="clients", shared=True))
    office = add_office(world.crm)
    add_slot(world.crm, office, datetime.now(UTC) + timedelta(days=2))
    return world


@pytest.fixture
def fuzz_worlds(tmp_path: Path, sqlite_template: Path) -> Iterator[dict[str, World]]:
    """A database per role, filled alike: each role's calls find what that role's calls alone left
    (an operator the administrator's cases deactivated never reaches the operator's calls)."""
    worlds = {}
    for role in ROLES:
        (tmp_path / role).mkdir()
        shutil.copyfile(sqlite_template, tmp_path / role / "crm.sqlite3")
        worlds[role] = _fill(World(str(tmp_path / role / "crm.sqlite3"), "sqlite", tmp_path / role))
    yield worlds
    for world in worlds.values():
        world.close()


# The routes in groups of 15-25 operations, one test per group (both roles), so that the workers share
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
def apps(fuzz_worlds: dict[str, World]) -> dict[str, Any]:
    return {role: _app(world.target) for role, world in fuzz_worlds.items()}


@pytest.fixture
def api_schema(apps: dict[str, Any], route_group: str) -> Any:
    """The schema the cases are drawn from; it is the same document over either role's database."""
    return schemathesis.openapi.from_asgi("/openapi.json", apps["admin"], config=config_of(route_group))


@pytest.fixture
def callers(
    apps: dict[str, Any], fuzz_worlds: dict[str, World]
) -> Iterator[dict[str, tuple[ASGIClient, dict[str, str]]]]:
    """Per role: one in-process client of the app over its database, in place of one made per call
    (it looks up no proxy or .netrc of the environment per request, and its cookies are cleared
    before each call), and the role's bearer header (the administrator: every desk; an operator:
    one desk, masked)."""
    with ExitStack() as stack:
        found = {}
        for role, login in ROLES.items():
            client = stack.enter_context(ASGIClient(apps[role]))
            client.trust_env = False
            found[role] = (client, _bearer(client, fuzz_worlds[role], login))
        yield found


def _bearer(client: ASGIClient, world: World, login: str) -> dict[str, str]:
    challenge = client.post("/api/v1/auth/login", json={"login": login, "password": PASSWORD}).json()
    code = world.crm.last_code(login)
    body = client.post("/api/v1/auth/verify", json={"challenge_id": challenge["challenge_id"], "code": code})
    return {"Authorization": f"Bearer {body.json()['access_token']}"}


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


def _as_each_role(case: Any, callers: dict[str, tuple[ASGIClient, dict[str, str]]]) -> None:
    """Sends `case` as every role; the first role whose answer fails is raised, named, with a note
    of how the same case went for the other roles."""
    failed: dict[str, Exception | FailureGroup] = {}
    for role, (client, headers) in callers.items():
        try:
            _call_and_validate(case, headers, client)
        except HypothesisException:
            raise
        except (Exception, FailureGroup) as error:  # FailureGroup is no Exception
            failed[role] = error
    if not failed:
        return
    role, error = next(iter(failed.items()))
    if isinstance(error, FailureGroup):
        error = FailureGroup(list(error.exceptions), f"As the {role}: {error.message}").with_traceback(
            error.__traceback__
        )
    others = "; ".join(
        f"as the {other}: {'failed too' if other in failed else 'passed'}" for other in callers if other != role
    )
    error.add_note(f"Sent as the {role}; the same case {others}")
    raise error


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_to_each_role(
    case: Any, callers: dict[str, tuple[ASGIClient, dict[str, str]]], route_group: str
) -> None:
    """Each case drawn once and sent as the administrator and as an operator, each to its own database."""
    _as_each_role(case, callers)


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


def test_a_failure_names_the_role_it_was_sent_as(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both roles get the case; the failure raised is the first failing role's, with the other's outcome."""
    from types import SimpleNamespace

    failure = AcceptedNegativeData(operation="GET /x", message="m", status_code=200, expected_statuses=["4xx"])
    calls = []

    def call(case: Any, headers: dict[str, str], client: Any) -> None:
        calls.append(headers["as"])
        if headers["as"] in case.failing:
            raise FailureGroup([failure])

    monkeypatch.setattr(sys.modules[__name__], "_call_and_validate", call)
    callers: Any = {role: (None, {"as": role}) for role in ROLES}
    _as_each_role(SimpleNamespace(failing=()), callers)
    with pytest.raises(FailureGroup) as raised:
        _as_each_role(SimpleNamespace(failing=("operator",)), callers)
    assert raised.value.message == "As the operator: Schemathesis found 1 distinct failure"
    assert raised.value.__notes__ == ["Sent as the operator; the same case as the admin: passed"]
    with pytest.raises(FailureGroup) as raised:
        _as_each_role(SimpleNamespace(failing=("admin", "operator")), callers)
    assert raised.value.message.startswith("As the admin: ")
    assert raised.value.__notes__ == ["Sent as the admin; the same case as the operator: failed too"]
    assert calls == ["admin", "operator"] * 3
