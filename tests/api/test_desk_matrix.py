"""S4 over HTTP: every route that takes an id × every role × a card of the own and of another desk.

An object of another desk answers 404 (as if it did not exist) and lists never contain one, for
every role without the all-desks permission. A route with a path parameter that is missing from
the matrix fails the test: new routes must be added here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.access.rules import Permission
from core.clients.duplicates import ASK_SUPERVISOR
from core.clients.models import ClientCard
from core.clock import SystemClock
from core.console import LocalConsole
from core.work.inputs import NewAction
from tests.api.test_http import sign_in
from tests.api.world import CREATOR, DESK_B, ROLES, World, unique_phone
from tests.call_world import SCRIPTS, add_campaign, add_member
from tests.helpers import MAIN_DESK
from tests.trading_world import event

V1 = "/api/v1"


class Target:
    """The desk objects one call is made on: a card (listed on an all-desks campaign), and what the
    call names of it, made when first named (a write route gets a target of its own, and most name
    only the card): a campaign of the card's desk with the card on its list, another card of the
    desk ({merged_id}), the card's trading account and pending deposit, an action on the card, an
    operator of the card's desk (administration routes), the desk."""

    def __init__(self, world: World, desk: str, shared_campaign_id: int) -> None:
        self.world, self.desk = world, desk
        self.shared_campaign_id = shared_campaign_id  # of no desk, the card on its list
        self.card: ClientCard = world.client(desk, surname="Матрицын", phones=2)
        add_member(world.crm, shared_campaign_id, self.card.id)

    def complete(self) -> Target:
        """Every object made now: the reads share one such target per desk."""
        for name in ("campaign_id", "twin", "manager_id", "account_id", "action_id", "employee_id", "desk_id"):
            getattr(self, name)
        return self

    @cached_property
    def campaign_id(self) -> int:
        campaign_id = add_campaign(
            self.world.crm, f"matrix_{next(_codes)}", desk=DESKS[self.desk], script=SCRIPTS["halva_cross_sell"]
        )
        add_member(self.world.crm, campaign_id, self.card.id)
        return campaign_id

    @cached_property
    def twin(self) -> ClientCard:
        return self.world.client(self.desk, surname="Матрицын")

    @cached_property
    def manager_id(self) -> int:  # an employee of the card's desk, to hand it over to
        return manager_id(self.world, self.desk)

    @cached_property
    def _broker(self) -> tuple[int, int]:
        return broker_objects(self.world, self.card.id)

    @property
    def account_id(self) -> int:
        return self._broker[0]

    @property
    def request_id(self) -> int:
        return self._broker[1]

    @cached_property
    def action_id(self) -> int:
        planner = _planners.get(id(self.world))
        if planner is None:  # signed in once per world (setdefault would sign in on every call)
            planner = _planners[id(self.world)] = self.world.local("adm")
        return planner.add_action(self.card.id, NewAction(type="call", due_at=self.card.created_at)).id

    @cached_property
    def employee_id(self) -> int:
        login = f"mx_{next(_codes)}_{self.world.engine_name[:2]}"
        self.world.crm.add_employee(login, role="operator", desks=(DESKS[self.desk],))
        employee = self.world.crm.repo.employee_by_login(login)
        assert employee is not None
        return employee.id

    @cached_property
    def desk_id(self) -> int:
        desk_id = next(d.id for d in self.world.crm.repo.admin_desks() if d.name == DESKS[self.desk])
        DESK_NAMES[desk_id] = DESKS[self.desk]
        return desk_id


# the ids a route's path names, from its target
PATH_IDS: dict[str, Callable[[Target], int]] = {
    "client_id": lambda t: t.card.id,
    "campaign_id": lambda t: t.campaign_id,
    "merged_id": lambda t: t.twin.id,
    "account_id": lambda t: t.account_id,
    "request_id": lambda t: t.request_id,
    "action_id": lambda t: t.action_id,
    "employee_id": lambda t: t.employee_id,
    "desk_id": lambda t: t.desk_id,
}


def url_of(path: str, t: Target) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(PATH_IDS[m.group(1)](t)), path)


@dataclass
class Case:
    body: Callable[[Target], dict[str, Any] | None] = lambda t: None
    params: dict[str, Any] | None = None


# (method, path) -> how to call it. {client_id} is the target's card, {campaign_id} its campaign.
MATRIX: dict[tuple[str, str], Case] = {
    ("GET", f"{V1}/clients/{{client_id}}"): Case(),
    ("GET", f"{V1}/clients/{{client_id}}/history"): Case(params={"limit": 5}),
    ("PUT", f"{V1}/clients/{{client_id}}/personal"): Case(
        lambda t: {"surname": "Матрицын", "first_name": "Марк", "expected_version": t.card.personal_version}
    ),
    ("PUT", f"{V1}/clients/{{client_id}}/contacts"): Case(
        lambda t: {"phones": [{"number": unique_phone()}], "expected_version": t.card.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/phone-strikes"): Case(
        lambda t: {"phone_id": t.card.phones[0].id, "reason": "wrong", "expected_version": t.card.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/comments"): Case(lambda t: {"text": "matrix"}),
    ("POST", f"{V1}/clients/{{client_id}}/sms"): Case(
        lambda t: {"template_code": "callback", "phone_id": t.card.phones[0].id}
    ),
    ("GET", f"{V1}/clients/{{client_id}}/campaigns"): Case(),
    ("POST", f"{V1}/clients/{{client_id}}/calls/start"): Case(lambda t: {"campaign_id": t.shared_campaign_id}),
    ("POST", f"{V1}/clients/{{client_id}}/calls/options"): Case(lambda t: {"campaign_id": t.shared_campaign_id}),
    ("POST", f"{V1}/clients/{{client_id}}/calls/credit-decision"): Case(
        lambda t: {"campaign_id": t.shared_campaign_id, "state": {"reached": True}}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/hand-over"): Case(lambda t: {"to_employee_id": t.manager_id}),
    ("GET", f"{V1}/clients/{{client_id}}/merge/{{merged_id}}"): Case(),
    ("POST", f"{V1}/clients/{{client_id}}/merge"): Case(lambda t: {"merged_id": t.twin.id}),
    ("GET", f"{V1}/clients/{{client_id}}/trading"): Case(),
    ("POST", f"{V1}/clients/{{client_id}}/cabinet"): Case(),
    ("GET", f"{V1}/clients/{{client_id}}/messages"): Case(params={"limit": 5}),
    ("GET", f"{V1}/trading/accounts/{{account_id}}/trades"): Case(params={"limit": 5}),
    ("POST", f"{V1}/trading/requests/{{request_id}}/decision"): Case(
        lambda t: {"action": "reject", "reason": "matrix"}
    ),
    ("GET", f"{V1}/campaigns/{{campaign_id}}/script"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/next-client"): Case(),
    ("GET", f"{V1}/clients/{{client_id}}/actions"): Case(),
    ("POST", f"{V1}/clients/{{client_id}}/actions"): Case(
        lambda t: {"type": "call", "due_at": "2030-01-01T10:00:00+00:00"}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/tags"): Case(lambda t: {"add": ["matrix"]}),
    ("POST", f"{V1}/actions/{{action_id}}/done"): Case(lambda t: {"done": True}),
    # administration: an employee of the desk, the desk itself (renamed to its own name: no change)
    ("GET", f"{V1}/admin/employees/{{employee_id}}"): Case(),
    ("PATCH", f"{V1}/admin/employees/{{employee_id}}"): Case(lambda t: {"full_name": "Matrix", "expected_version": 0}),
    ("PUT", f"{V1}/admin/employees/{{employee_id}}/active"): Case(lambda t: {"active": False, "expected_version": 0}),
    ("POST", f"{V1}/admin/employees/{{employee_id}}/password"): Case(
        lambda t: {"password": "matrix-Pass1", "expected_version": 0}
    ),
    ("POST", f"{V1}/admin/employees/{{employee_id}}/unlock"): Case(),
    ("PUT", f"{V1}/admin/employees/{{employee_id}}/second-factor"): Case(
        lambda t: {"channel": "totp", "expected_version": 0}
    ),
    ("PUT", f"{V1}/admin/desks/{{desk_id}}"): Case(lambda t: {"name": DESK_NAMES[t.desk_id]}),
    ("PUT", f"{V1}/admin/desks/{{desk_id}}/timezone"): Case(lambda t: {"timezone": None, "expected_version": 0}),
    # the live floor: an operator of the desk
    ("GET", f"{V1}/floor/employees/{{employee_id}}/calls"): Case(),
    ("PUT", f"{V1}/campaigns/{{campaign_id}}"): Case(
        lambda t: {"code": f"matrix_edit_{t.campaign_id}", "name": "Matrix", "desk_id": t.card.desk_id}
    ),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/pause"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/resume"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/members"): Case(lambda t: {"client_ids": [t.card.id]}),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/members/remove"): Case(lambda t: {"client_ids": [t.card.id]}),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/recycle"): Case(lambda t: {"exhausted": True}),
    ("GET", f"{V1}/campaigns/{{campaign_id}}/script-version"): Case(params={"version": 0}),
}
# Routes with an id that is not a desk object, and why.
EXEMPT = {
    ("GET", f"{V1}/regions/{{region_id}}/towns"): "reference data, the same for every desk",
    ("PUT", f"{V1}/admin/regions/{{region_id}}/timezone"): "regions serve every desk (all_desks only)",
    ("GET", f"{V1}/offices/{{office_id}}"): "offices serve every desk (O1)",
    ("GET", f"{V1}/offices/{{office_id}}/slots"): "offices serve every desk (O2)",
    **{
        (method, f"{V1}/views/{{view_id}}{tail}"): "a view is personal or shared, of no desk; the rows it "
        "answers pass the desk rule (tests/api/test_contract_work.py)"
        for method, tail in (("PUT", ""), ("DELETE", ""), ("GET", "/query"), ("GET", "/ids"), ("POST", "/tags"))
    },
    **{
        (method, f"{V1}/tasks/{{task_id}}{tail}"): "a task is seen only by its author, assignee and watchers, "
        "assignees of the author's desks (core.tasks.rules; tests/test_tasks.py)"
        for method, tail in (("GET", ""), ("POST", "/check"), ("POST", "/done"))
    },
    ("POST", f"{V1}/jobs/{{job_id}}/retry"): "administrators only; a job row names no client (core.jobs)",
    ("PUT", f"{V1}/assign/regions/{{employee_id}}"): "the assignment rules need all_desks (core.assign)",
    ("PUT", f"{V1}/assign/rules/{{desk_id}}"): "the assignment rules need all_desks (core.assign)",
    ("PATCH", f"{V1}/admin/roles/{{role_id}}"): "roles serve every desk (S3); administration only",
    ("DELETE", f"{V1}/admin/roles/{{role_id}}"): "roles serve every desk (S3); administration only",
    ("GET", f"{V1}/imports/{{import_id}}"): "an import is its importer's; others' answer 404 (tests/test_imports.py)",
    **{
        (method, f"{V1}/automation/rules/{{rule_id}}{tail}"): "a rule is of no desk; manage_automation only; its "
        "firings list only clients of the desks (tests/api/test_contract_automation.py)"
        for method, tail in (("GET", ""), ("PUT", ""), ("DELETE", ""), ("PUT", "/enabled"))
    },
}
DESK_NAMES: dict[int, str] = {}
# Routes not signed in with a bearer token at all, and how they are authenticated instead.
NOT_BY_TOKEN = {
    ("POST", f"{V1}/events"): "the trading platform's webhook (I4): an HMAC-SHA256 signature with the shared "
    "secret and a fresh timestamp; no employee acts, so no desk applies (tests/api/test_events_webhook.py)",
}


_planners: dict[int, Any] = {}  # per world: the administrator who puts an action on each target card
_codes = itertools.count(1)


_managers: dict[tuple[int, str], int] = {}


def manager_id(world: World, desk: str) -> int:
    key = (id(world), desk)
    if key not in _managers:
        _managers[key] = world.local(CREATOR[desk]).whoami().id
    return _managers[key]


def broker_objects(world: World, client_id: int) -> tuple[int, int]:
    """A trading account and a pending manual deposit of the client, made by platform events."""
    feed = LocalConsole(world.crm.repo, clock=SystemClock())
    now, number = datetime.now(UTC), f"MX-{client_id}"
    feed.apply_event(event("real_account", client_id, now, account=number, currency="USD"))
    feed.apply_event(
        event("deposit", client_id, now, account=number, currency="USD", amount=Decimal("10"),
              payment_system="Bank wire", status="requested", manual=True)
    )  # fmt: skip
    (account,) = world.crm.rows("trading_account", client_id=client_id)
    (request,) = world.crm.rows("money_request", client_id=client_id)
    return account.id, request.id


DESKS = {"A": MAIN_DESK, "B": DESK_B}


def id_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) with a path parameter, from the app's own OpenAPI document (it lists
    every route; FastAPI keeps included routers lazily, so `app.routes` does not)."""
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if "{" in path
        for method in operations
    }


def test_the_events_route_takes_no_token(http: TestClient, world: World) -> None:
    """The webhook is not opened by an employee's bearer token: unsigned, it is 401 even with one."""
    headers = sign_in(http, world, "adm")
    body = {"id": "m-1", "kind": "registered", "at": "2025-03-10T09:00:00Z", "client_id": 1}
    for method, path in NOT_BY_TOKEN:
        assert http.request(method, path, json=body, headers=headers).status_code == 401


def test_every_route_with_an_id_is_in_the_matrix(http: TestClient) -> None:
    routes = id_routes(http.app)
    missing = routes - set(MATRIX) - set(EXEMPT)
    assert not missing, f"routes taking an id missing from the desk matrix: {sorted(missing)}"
    assert set(MATRIX) <= routes, f"matrix rows without a route: {sorted(set(MATRIX) - routes)}"


@pytest.mark.parametrize("login", ROLES)
def test_routes_with_an_id_hide_other_desks(http: TestClient, world: World, login: str) -> None:
    headers = sign_in(http, world, login)
    me = http.get(f"{V1}/auth/me", headers=headers).json()
    all_desks = Permission.ALL_DESKS in me["permissions"]
    shared = add_campaign(world.crm, f"matrix_{next(_codes)}", script=SCRIPTS["halva_cross_sell"])
    # A route that writes gets desk objects of its own; the reads share one set per desk, made for
    # this test and changed by none of them (a target costs some 20 statements).
    reads = {desk: Target(world, desk, shared).complete() for desk in ("A", "B")}
    for (method, path), case in MATRIX.items():
        answers = {}
        for desk in ("A", "B"):
            t = reads[desk] if method == "GET" else Target(world, desk, shared)
            answer = http.request(method, url_of(path, t), json=case.body(t), params=case.params, headers=headers)
            assert answer.status_code < 500, (method, path, answer.text)
            answers[desk] = answer.status_code
            if desk == "B" and not all_desks and answer.status_code != 403:
                assert answer.status_code == 404, (login, method, path, answer.text)
                assert answer.json()["error"] == "not_found"
                assert t.card.phones[0].number not in answer.text and "Матрицын" not in answer.text
            else:
                assert answer.status_code != 404, (login, method, path, desk, answer.text)
        if all_desks:
            assert answers["A"] == answers["B"], (login, method, path)
        if answers["B"] == 403:  # refused for the role before any desk check: the same for its own desk
            assert answers["A"] == 403, (login, method, path)


@pytest.mark.parametrize("login", ROLES)
def test_lists_never_hold_another_desks_card(http: TestClient, world: World, login: str) -> None:
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    theirs = world.client("B", surname="Скрытов")
    phone = theirs.phones[0].number
    for query in (phone, "скрытов", str(theirs.id)):
        found = http.get(f"{V1}/clients", params={"q": query, "limit": 500}, headers=headers).json()
        assert (theirs.id in {s["id"] for s in found}) == all_desks, (login, query)
    draft = {"surname": "Скрытов", "first_name": "С", "phones": [phone]}
    duplicates = http.post(f"{V1}/clients/duplicates", json=draft, headers=headers).json()
    assert (theirs.id in {s["id"] for s in duplicates}) == all_desks
    created = http.post(f"{V1}/clients", json=draft, headers=headers)
    if created.status_code == 422:
        assert (theirs.id in {m["id"] for m in created.json()["matches"]}) == all_desks
        if not all_desks:  # core.clients.duplicates: nothing about the other desk's card, nor what matched
            assert created.json() == {"error": "duplicate", "message": ASK_SUPERVISOR, "matches": []}


@pytest.mark.parametrize("login", ROLES)
def test_a_referrer_of_another_desk_cannot_be_named(http: TestClient, world: World, login: str) -> None:
    """Ids inside bodies obey the desks too: recommending from another desk's card fails."""
    headers = sign_in(http, world, login)
    perms = http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    theirs = world.client("B")
    draft = {"surname": "Рекомендов", "first_name": "Р", "phones": [unique_phone()], "referrer_id": theirs.id}
    answer = http.post(f"{V1}/clients", json=draft, headers=headers)
    if Permission.CREATE_CLIENT not in perms or Permission.ENTER_RECOMMENDATION not in perms:
        assert answer.status_code == 403
    elif Permission.ALL_DESKS in perms:
        assert answer.status_code == 201
    else:
        assert answer.status_code == 404


@pytest.mark.parametrize("login", ROLES)
def test_a_call_result_for_another_desks_client_or_campaign_is_refused(
    http: TestClient, world: World, login: str
) -> None:
    """Ids inside the body of POST /calls obey the desks too."""
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    shared = add_campaign(world.crm, f"matrix_{next(_codes)}", script=SCRIPTS["halva_cross_sell"])
    for desk in ("A", "B"):
        t = Target(world, desk, shared)
        for campaign_id in (t.campaign_id, shared):
            body = {
                "client_id": t.card.id,
                "campaign_id": campaign_id,
                "started_at": t.card.created_at.isoformat(),
                "result": "not_reached",
                "reason": "no_answer",
            }
            answer = http.post(f"{V1}/calls", json=body, headers=headers)
            assert answer.status_code < 500, answer.text
            if desk == "B" and not all_desks:
                assert answer.status_code == 404, (login, campaign_id, answer.text)
            else:
                assert answer.status_code != 404, (login, campaign_id, answer.text)
