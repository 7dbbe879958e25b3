"""Call scripts (K2, K14) and the result catalogue (K1, K3-K13): the checker rejects every kind of
broken script, the runner steps and steps back, and random walks through every shipped script end
in a result the catalogue accepts with the fields the UI would fill in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.calls.script_run import ScriptRun
from core.calls.scripts import (
    MAX_ANSWERS,
    ScriptError,
    check_script_text,
    load_script,
    render,
    shipped_scripts,
)
from core.errors import ValidationFailed

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
