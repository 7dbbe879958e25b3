"""Automation rules (M8): list, show, add, edit, enable or disable, delete; the firings.

A rule is checked before it is saved (a 422 names the part: `trigger.kind`, `effects[1].template`,
`conditions`, …) and needs `manage_automation`; these rules are core.automation's and apply here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import SignedInConsole
from api.errors import responses
from core.automation.inputs import RuleDraft, RuleSwitch
from core.automation.models import Firing, Rule
from core.automation.operations import FIRINGS_MAX
from core.shapes import MAX_ID

router = APIRouter(prefix="/automation", tags=["automation"], responses=responses(403))
RuleId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/rules", response_model=list[Rule])
def rules(console: SignedInConsole) -> list[Rule]:
    return console.automation_rules()


@router.post("/rules", response_model=Rule, status_code=201, responses=responses(422))
def add(body: RuleDraft, console: SignedInConsole) -> Rule:
    """WHEN `trigger` IF `conditions` (as in views, over clients) THEN `effects`."""
    return console.add_automation_rule(body)


@router.get("/rules/{rule_id}", response_model=Rule, responses=responses(404))
def rule(rule_id: RuleId, console: SignedInConsole) -> Rule:
    return console.automation_rule(rule_id)


@router.put("/rules/{rule_id}", response_model=Rule, responses=responses(404, 422))
def edit(rule_id: RuleId, body: RuleDraft, console: SignedInConsole) -> Rule:
    return console.edit_automation_rule(rule_id, body)


@router.put("/rules/{rule_id}/enabled", response_model=Rule, responses=responses(404, 422))
def switch(rule_id: RuleId, body: RuleSwitch, console: SignedInConsole) -> Rule:
    return console.enable_automation_rule(rule_id, body.enabled)


@router.delete("/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, responses=responses(404))
def delete(rule_id: RuleId, console: SignedInConsole) -> None:
    console.delete_automation_rule(rule_id)


@router.get("/firings", response_model=list[Firing])
def firings(
    console: SignedInConsole,
    rule_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    client_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=FIRINGS_MAX)] = 100,
) -> list[Firing]:
    """The latest firings (of a rule, of a client) on clients of my desks."""
    return console.automation_firings(rule_id, client_id, limit)
