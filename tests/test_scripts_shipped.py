"""The shipped campaign scripts (K2): every demo campaign has a valid one, together they cover every result, every path ends in an accepted result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.access.rules import Permission
from core.calls.catalogue import catalogue
from core.calls.results import (
    CallFacts,
    ResultInput,
    check_result,
    effective_reason,
    msgids,
    reason_availability,
    required_fields,
)
from core.calls.rules import default_next_at
from core.calls.script_run import ScriptRun
from core.calls.scripts import (
    KNOWN_FIELDS,
    MAX_ANSWERS,
    check_script_text,
    load_script,
    render,
    shipped_scripts,
)
from storage.catalogue import PRODUCTS
from storage.demo_data import CAMPAIGNS

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


# --- the shipped scripts -------------------------------------------------------------------

SHIPPED = shipped_scripts()
IS_CARD = {code: card for code, _cat, _name, card in PRODUCTS}
PRODUCT_IDS = {code: i for i, (code, *_rest) in enumerate(PRODUCTS, 1)}


def test_every_demo_campaign_has_a_valid_script() -> None:
    for code, _name, _desk, _products in CAMPAIGNS:
        assert code in SHIPPED, f"no campaigns/{code}.toml"
    for code, text in SHIPPED.items():
        assert check_script_text(text) == [], code
        script = load_script(text)
        assert script.campaign == code
        assert all(p in IS_CARD for p in script.products), code


def test_shipped_scripts_together_cover_every_result() -> None:
    demo = {code for code, *_ in CAMPAIGNS}
    covered = set().union(*(load_script(t).results() for c, t in SHIPPED.items() if c in demo))
    assert covered == set(catalogue().codes)


def ui_fill(script, run) -> tuple[CallFacts, ResultInput]:  # type: ignore[no-untyped-def]
    """What the result form would hold after the operator fills the required fields."""
    cat = catalogue()
    outcome = run.outcome
    result = cat[outcome.result]
    products = ["halva"] if result.code == "card_product" else list(script.products)
    facts = CallFacts(
        now=T0,
        permissions=frozenset(p.value for p in Permission),  # external conditions granted ...
        talked=run.talked,  # ... but what the conversation must show comes from the path only
        objection_attempts=run.objection_attempts,
        campaign_kind=script.kind,
        last_agreed_at=T0 - timedelta(days=3),
        upcoming_visit=True,
        card_product=any(IS_CARD[p] for p in products),
        halva_card="halva" in products,
    )
    choice = ResultInput(code=result.code, reason=outcome.reason, preset=outcome.preset)
    reason = effective_reason(result, choice)
    if reason is None and result.reason_required:
        reason = next(r.code for r in result.reasons if reason_availability(r, facts).allowed)
    fields = required_fields(result, reason)
    choice = ResultInput(
        code=result.code,
        reason=reason if not outcome.preset else None,
        preset=outcome.preset,
        next_at=default_next_at(result, T0, "Europe/Moscow", outcome.preset),
        has_visit="visit" in fields,
        visit_at=T0 + timedelta(days=1) if "visit_at" in fields else None,
        product_ids=tuple(PRODUCT_IDS[p] for p in products),
    )
    return facts, choice


@pytest.mark.parametrize("code", sorted(SHIPPED))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_walks_end_in_an_accepted_result(code: str, data: st.DataObject) -> None:
    script = load_script(SHIPPED[code])
    run = ScriptRun.start(script)
    values = {name: "x" for name in KNOWN_FIELDS}
    for _ in range(40):
        if run.finished:
            break
        block = run.block
        assert block is not None and 1 <= len(block.answers) <= MAX_ANSWERS
        assert "{" not in render(block.text, values)
        if run.steps and data.draw(st.integers(0, 9), label="back?") == 0:
            step = run.back()
            assert step.moved and not step.needs_confirmation
            run = step.state
            continue
        run = run.choose(data.draw(st.integers(1, len(block.answers)), label=f"answer in {block.id}"))
    if not run.finished:
        assert run.block is not None and run.block.answers  # it can still go on
        return
    facts, choice = ui_fill(script, run)
    check_result(catalogue(), facts, choice)  # raises ValidationFailed if the catalogue refuses it
    back = run.back()
    assert back.needs_confirmation and back.discards == run.outcome  # K14


def _simple_paths(script):  # type: ignore[no-untyped-def]
    """Every walk that shows no block twice and ends in a result."""
    todo = [ScriptRun.start(script)]
    while todo:
        run = todo.pop()
        for number in range(1, len(run.block.answers) + 1):
            nxt = run.choose(number)
            if nxt.finished:
                yield nxt
            elif nxt.current not in {s.block for s in nxt.steps}:
                todo.append(nxt)


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_every_loop_free_path_ends_in_an_accepted_result(code: str) -> None:
    script = load_script(SHIPPED[code])
    ends = 0
    for run in _simple_paths(script):
        facts, choice = ui_fill(script, run)
        check_result(catalogue(), facts, choice)
        ends += 1
    answers_with_result = sum(1 for b in script.blocks.values() for a in b.answers if a.result)
    assert ends >= answers_with_result


def test_msgids_for_the_translators() -> None:
    texts = msgids()
    assert "Call back" in texts and "Client will call himself" in texts and "Fax / modem" in texts
    assert "Your role may not change visit dates." in texts
    assert all(t.isascii() for t in texts)
