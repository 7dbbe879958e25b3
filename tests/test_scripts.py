"""Call scripts (K2, K14) and the result catalogue (K1, K3-K13): the checker rejects every kind of
broken script, the runner steps and steps back, and random walks through every shipped script end
in a result the catalogue accepts with the fields the UI would fill in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.access.rules import Permission
from core.calls.catalogue import CatalogueError, catalogue, catalogue_text, load_catalogue
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
    ScriptError,
    check_script_text,
    load_script,
    render,
    shipped_scripts,
)
from core.errors import ValidationFailed
from storage.catalogue import PRODUCTS
from storage.demo_data import CAMPAIGNS

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)

GOOD = """
name = "Test"
start = "hello"

[[objections]]
code = "no_need"
client = "I do not need it."
reply = "It costs nothing."

[blocks.hello]
text = "Hello, {client.first_name} {client.patronymic}! I am {employee.full_name}."
answers = [
    { text = "Client on the line", next = "offer" },
    { text = "Nobody answers", result = "not_reached", reason = "no_answer" },
]

[blocks.offer]
talking = true
text = "Would you like a card?"
answers = [
    { text = "Yes", result = "agreed" },
    { text = "No", next = "objection" },
    { text = "Later", result = "callback", preset = "will_call_himself" },
]

[blocks.objection]
talking = true
objection = "no_need"
text = "It costs nothing."
answers = [
    { text = "Well, yes", result = "agreed" },
    { text = "Still no", result = "refused" },
    { text = "Back to the offer", next = "offer" },
]
"""


def problems(text: str) -> list[str]:
    found = check_script_text(text)
    assert found, "the checker accepted a broken script"
    return found


def test_a_good_script_passes() -> None:
    assert check_script_text(GOOD) == []
    script = load_script(GOOD)
    assert script.start == "hello"
    assert set(script.blocks) == {"hello", "offer", "objection"}
    assert script.results() == {"not_reached", "agreed", "callback", "refused"}


# --- the checker: one test per kind of breakage -----------------------------------------------


def test_toml_error_names_the_line() -> None:
    broken = GOOD.replace('text = "Would you like a card?"', 'text = "Would you like a card?')
    found = problems(broken)
    assert len(found) == 1
    assert "TOML error" in found[0] and "line 19" in found[0]


def test_unreachable_block() -> None:
    text = GOOD + '\n[blocks.orphan]\ntext = "Nobody comes here"\nanswers = [{ text = "x", result = "think" }]\n'
    found = problems(text)
    assert any("'orphan' is unreachable" in p for p in found)
    assert any(p.startswith("line 36:") for p in found), found


def test_answer_leading_to_an_unknown_block() -> None:
    found = problems(GOOD.replace('next = "objection"', 'next = "objectoin"'))
    assert any("leads to unknown block 'objectoin'" in p for p in found)


def test_unknown_result_code() -> None:
    found = problems(GOOD.replace('result = "agreed" }', 'result = "agred" }', 1))
    assert any("unknown result code 'agred'" in p for p in found)


def test_unknown_reason() -> None:
    found = problems(GOOD.replace('reason = "no_answer"', 'reason = "asleep"'))
    assert any("unknown reason 'asleep' of result 'not_reached'" in p for p in found)


def test_reason_of_another_campaign_kind() -> None:
    found = problems(GOOD.replace('result = "refused" }', 'result = "non_target", reason = "depositor" }'))
    assert any("only for 'borrower_assessment' campaigns" in p for p in found)
    ok = GOOD.replace('result = "refused" }', 'result = "non_target", reason = "depositor" }')
    assert check_script_text('kind = "borrower_assessment"\n' + ok) == []


def test_unknown_preset() -> None:
    found = problems(GOOD.replace('preset = "will_call_himself"', 'preset = "will_write"'))
    assert any("unknown preset 'will_write'" in p for p in found)


def test_unknown_client_field_in_text() -> None:
    found = problems(GOOD.replace("{client.patronymic}", "{client.middle_name}"))
    assert any("unknown field {client.middle_name}" in p for p in found)


def test_unknown_field_in_an_answer() -> None:
    found = problems(GOOD.replace('"Client on the line"', '"{client.nickname} on the line"'))
    assert any("unknown field {client.nickname}" in p for p in found)


def test_more_than_nine_answers() -> None:
    many = ",\n".join(f'    {{ text = "Answer {i}", result = "think" }}' for i in range(MAX_ANSWERS + 1))
    text = f'[blocks.only]\ntext = "Too many"\nanswers = [\n{many}\n]\n'
    found = problems(text)
    assert any("has 10 answers; at most 9" in p for p in found)


def test_block_without_answers() -> None:
    text = GOOD + '\n[blocks.dead]\ntext = "Silence"\n'
    text = text.replace('{ text = "Back to the offer", next = "offer" }', '{ text = "Stop", next = "dead" }')
    found = problems(text)
    assert any("'dead' has no answers" in p for p in found)


def test_loop_without_a_way_out() -> None:
    text = GOOD + (
        '\n[blocks.ping]\ntext = "Ping"\nanswers = [{ text = "pong", next = "pong" }]\n'
        '\n[blocks.pong]\ntext = "Pong"\nanswers = [{ text = "ping", next = "ping" }]\n'
    )
    text = text.replace('{ text = "Back to the offer", next = "offer" }', '{ text = "Play", next = "ping" }')
    found = problems(text)
    assert any("'ping' leads nowhere" in p for p in found)
    assert any("'pong' leads nowhere" in p for p in found)


def test_answer_with_both_next_and_result() -> None:
    found = problems(
        GOOD.replace('{ text = "Yes", result = "agreed" }', '{ text = "Yes", result = "agreed", next = "hello" }')
    )
    assert any("either 'next' (a block) or 'result'" in p for p in found)


def test_objection_block_not_in_the_bank() -> None:
    found = problems(GOOD.replace('objection = "no_need"', 'objection = "too_expensive"'))
    assert any("objection 'too_expensive' is not in the objection bank" in p for p in found)


def test_placeholder_without_blocks() -> None:
    found = problems('campaign = "Halva card cross-sell"\n')
    assert any("no blocks" in p for p in found)
    with pytest.raises(ScriptError):
        load_script('campaign = "x"\n')


def test_unknown_keys_are_typos() -> None:
    found = problems(GOOD.replace("talking = true", "talkin = true", 1))
    assert any("unknown key 'talkin'" in p for p in found)


def test_missing_start_block() -> None:
    found = problems(GOOD.replace('start = "hello"', 'start = "hi"'))
    assert any("start block 'hi' does not exist" in p for p in found)


# --- the runner (K2, K14) -------------------------------------------------------------------


def test_runner_walks_and_steps_back() -> None:
    script = load_script(GOOD)
    run = ScriptRun.start(script)
    assert run.current == "hello" and not run.talked
    run = run.choose(1)
    assert run.current == "offer" and run.talked
    with pytest.raises(ValueError):
        run.choose(4)
    after = run.choose(2).choose(2)  # objection, then "still no"
    assert after.finished and after.outcome and after.outcome.result == "refused"
    assert after.objection_attempts == 1
    with pytest.raises(ValueError):
        after.choose(1)
    back = after.back()
    assert back.needs_confirmation and back.discards == after.outcome  # "change the result chosen earlier?"
    assert back.state.current == "objection" and back.state.outcome is None
    plain = back.state.back()
    assert not plain.needs_confirmation and plain.state.current == "offer"
    assert run.current == "offer"  # the old state is untouched (immutable)
    start = ScriptRun.start(script).back()
    assert not start.moved and start.state.current == "hello"


def test_objection_attempts_from_blocks_and_the_bank() -> None:
    script = load_script(GOOD)
    run = ScriptRun.start(script).choose(1).choose(2)  # at the objection block: 1 attempt
    assert run.objection_attempts == 1
    run = run.use_objection("no_need")
    assert run.objection_attempts == 2
    with pytest.raises(ValueError):
        run.use_objection("unknown")
    # back to the offer: both the block and the bank attempt made there are undone
    assert run.back().state.objection_attempts == 0
    looped = run.choose(3).choose(2)  # back to offer, then the objection block again
    assert looped.objection_attempts == 3


def test_replay_rejects_a_path_that_does_not_fit() -> None:
    script = load_script(GOOD)
    assert ScriptRun.replay(script, [1, 2, 2]).outcome.result == "refused"  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        ScriptRun.replay(script, [1, 7])
    with pytest.raises(ValidationFailed):
        ScriptRun.replay(script, [2, 1])  # a result was chosen; nothing may follow
    with pytest.raises(ValidationFailed):
        ScriptRun.replay(script, [1], ["nonsense"])


def test_render_fills_fields() -> None:
    script = load_script(GOOD)
    text = render(
        script.block("hello").text,
        {"client.first_name": "Иван", "client.patronymic": "Петрович", "employee.full_name": "Анна Смирнова"},
    )
    assert text == "Hello, Иван Петрович! I am Анна Смирнова."


# --- names in their grammatical case (issue 17) -----------------------------------------------

NINA = {
    "client.first_name": "Нина",
    "client.patronymic": "Леоновна",
    "client.surname": "Петрова",
    "client.full_name": "Петрова Нина Леоновна",
    "campaign.name": "Кредит наличными",
}


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("Могу я услышать {client.first_name:acc} {client.patronymic:acc}?", "Могу я услышать Нину Леоновну?"),
        (
            "Могу я поговорить с {client.first_name:ins} {client.patronymic:ins}?",
            "Могу я поговорить с Ниной Леоновной?",
        ),
        ("Перезвоните {client.first_name:dat} {client.patronymic:dat}.", "Перезвоните Нине Леоновне."),
        ("Нет {client.full_name:gen}.", "Нет Петровой Нины Леоновны."),
        ("О {client.surname:pre}.", "О Петровой."),
        ("{client.first_name:nom} {client.patronymic}, добрый день.", "Нина Леоновна, добрый день."),
    ],
)
def test_a_field_takes_its_grammatical_case(text: str, reads: str) -> None:
    assert render(text, NINA) == reads


def test_a_man_is_declined_as_a_man_and_an_unknown_name_stays_as_written() -> None:
    ivan = {"client.first_name": "Пётр", "client.patronymic": "Ильич", "client.surname": "Иванов"}
    assert render("с {client.first_name:ins} {client.patronymic:ins}", ivan) == "с Петром Ильичом"
    assert render("услышать {client.first_name:acc}", {"client.first_name": "John"}) == "услышать John"


def test_an_unknown_case_or_a_case_of_a_non_name_is_rejected() -> None:
    found = problems(GOOD.replace("{client.patronymic}", "{client.patronymic:accusative}"))
    assert any("unknown case 'accusative' in {client.patronymic:accusative}" in p for p in found)
    found = problems(GOOD.replace('"Would you like a card?"', '"{campaign.name:acc}?"'))
    assert any("only names take a case" in p for p in found)
    assert check_script_text(GOOD.replace("{client.patronymic}", "{client.patronymic:gen}")) == []


def test_the_shipped_scripts_ask_for_the_client_in_the_right_case() -> None:
    greeting = load_script(shipped_scripts()["cash_loan_preapproved"]).block("greeting").text
    assert "Могу я услышать Нину Леоновну?" in render(greeting, NINA)
    for code, text in shipped_scripts().items():
        script = load_script(text)
        for block in script.blocks.values():
            shown = render(block.text, NINA)
            for wrong in ("с Нина", "услышать Нина", "застать Нина", "перезвонить Нина"):
                assert wrong not in shown, (code, block.id, shown)


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_holds_every_result_and_reason_of_the_manual() -> None:
    cat = catalogue()
    assert set(cat.codes) == {
        "not_reached",
        "call_dropped",
        "callback",
        "non_target",
        "think",
        "refused",
        "agreed",
        "changed_visit_date",
        "card_product",
        "do_not_disturb",
        "consultation",
        "visit_to_client",
    }
    assert len(cat["not_reached"].reasons) == 8
    assert len(cat["non_target"].reasons) == 14  # the seed lists 14 (SPEC says "13")
    assert [r.code for r in cat["callback"].reasons] == ["third_party", "call_dropped", "client_request"]
    assert len(cat["do_not_disturb"].reasons) == 7
    assert [r.code for r in cat["card_product"].reasons] == ["dsm_delivery", "fc_delivery", "self_pickup"]
    # Labels are English msgids.
    assert all(r.label.isascii() for r in cat.results)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('code = "think"', 'code = "callback"'), "repeat"),
        (("requires = { talked = true }", "requires = { talkd = true }"), "unknown requirement 'talkd'"),
        (('permission = "sme" }', 'permission = "smee" }'), "unknown permission 'smee'"),
        (('default_next = "+14d"\n', 'default_next = "fortnight"\n'), "default_next must be"),
        (('group = "conversation"', 'group = "talk"'), "group must be"),
        (('fields = ["visit", "products"]', 'fields = ["visit", "productz"]'), "unknown field 'productz'"),
        (('reason = "client_request", default_next', 'reason = "client_asked", default_next'), "unknown reason"),
    ],
)
def test_a_broken_catalogue_is_rejected_at_load(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in catalogue_text()
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(catalogue_text().replace(old, new, 1))


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
