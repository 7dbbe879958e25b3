"""Call scripts (SPEC K2, K14): a declarative TOML file per campaign, its checker and a pure runner.

The format::

    name = "Halva card cross-sell"        # optional
    campaign = "halva_cross_sell"         # optional: the campaign code it belongs to
    kind = "sales"                        # or "borrower_assessment" (enables the K5 "depositor" reason)
    start = "greeting"                    # optional: the first block (default: the first one written)
    products = ["halva", "credit_card"]   # optional: product codes offered in this campaign

    [[objections]]                        # the objection bank (K7); the UI opens it at any time
    code = "no_need"
    client = "I don't need it."
    reply = "..."

    [blocks.greeting]
    text = "Добрый день! Могу я услышать {client.first_name:acc} {client.patronymic:acc}?"  # a case
    talking = true                        # reaching this block means a conversation took place
    card_offer = false                    # a card-product conversation (C11: credit-bureau check)
    objection = "no_need"                 # showing this block is an objection-handling attempt
    answers = [
        { text = "Interested", next = "offer" },
        { text = "Not now", result = "callback", reason = "client_request" },
        { text = "Will call himself", result = "callback", preset = "will_call_himself" },
    ]

Each block has 1-9 answers (number keys 1-9 in the UI); each answer leads to a block (`next`) or
to a result code of the catalogue (`result`, optionally with a preset `reason` or a `preset` of
the result). `check_script_text` lists every problem: TOML errors (with the line), unknown keys,
unreachable blocks, answers leading to unknown blocks, blocks without answers or from which no
result can be reached, unknown result codes / reasons / presets, unknown fields in texts or cases
of names (`{client.first_name:acc}`: nom, gen, dat, acc, ins, pre — core.clients.declension), more
than 9 answers, objection blocks missing from the bank.

The runner (`core.calls.script_run.ScriptRun`) is pure and immutable: `choose(n)` and `back()` return new states;
`back()` over an answer that chose a result reports it (`BackStep.discards`) so the UI asks
"Change the result chosen earlier?" (K14) and keeps the old state on cancel.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.calls.catalogue import CAMPAIGN_KINDS, Catalogue, catalogue
from core.clients.declension import case_problem, decline

MAX_ANSWERS = 9

# The fields a block's text may name.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "client": ("first_name", "patronymic", "surname", "full_name", "region", "town"),
    "employee": ("full_name",),
    "campaign": ("name",),
}
KNOWN_FIELDS = frozenset(f"{group}.{name}" for group, names in TEXT_FIELDS.items() for name in names)
_FIELD_RE = re.compile(r"\{([^{}]*)\}")

SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "campaigns"


class ScriptError(ValueError):
    """A script that cannot be used; `problems` lists everything found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Answer:
    text: str
    next: str | None = None
    result: str | None = None
    reason: str | None = None
    preset: str | None = None  # a preset of the result, e.g. "will_call_himself"


@dataclass(frozen=True)
class Block:
    id: str
    text: str
    answers: tuple[Answer, ...]
    talking: bool = False
    card_offer: bool = False
    objection: str | None = None


@dataclass(frozen=True)
class Objection:
    code: str
    client: str
    reply: str


@dataclass(frozen=True, eq=False)
class Script:
    start: str
    blocks: Mapping[str, Block]
    name: str = ""
    campaign: str | None = None
    kind: str = "sales"
    products: tuple[str, ...] = ()
    objections: tuple[Objection, ...] = ()

    def block(self, block_id: str) -> Block:
        return self.blocks[block_id]

    def objection(self, code: str) -> Objection | None:
        return next((o for o in self.objections if o.code == code), None)

    def results(self) -> set[str]:
        """Every result code some answer leads to."""
        return {a.result for b in self.blocks.values() for a in b.answers if a.result}


# --- parsing and checking ------------------------------------------------------------------

_TOP_KEYS = {"name", "campaign", "kind", "start", "products", "objections", "blocks"}
_BLOCK_KEYS = {"text", "answers", "talking", "card_offer", "objection"}
_ANSWER_KEYS = {"text", "next", "result", "reason", "preset"}


def _header_lines(text: str) -> dict[str, int]:
    """Line numbers of `[blocks.<id>]` headers (or `<id> = {` inside [blocks]), for messages."""
    lines: dict[str, int] = {}
    in_blocks = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        match = re.match(r'^\[\s*blocks\s*\.\s*"?([^"\]\s.]+)"?\s*\]$', line)
        if match:
            lines.setdefault(match.group(1), number)
            continue
        if line.startswith("["):
            in_blocks = line.replace(" ", "") == "[blocks]"
            continue
        match = re.match(r'^"?([A-Za-z0-9_-]+)"?\s*=\s*\{', line)
        if in_blocks and match:
            lines.setdefault(match.group(1), number)
    return lines


def _parse(text: str, cat: Catalogue) -> tuple[Script | None, list[str]]:
    """The script and the problems found; the script is None when it cannot be built at all."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [f"TOML error: {exc}"]
    problems: list[str] = []
    lines = _header_lines(text)

    def at(block_id: str) -> str:
        return f"line {lines[block_id]}: " if block_id in lines else ""

    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(f"unknown top-level key '{key}'")
    kind = data.get("kind", "sales")
    if kind not in CAMPAIGN_KINDS:
        problems.append(f"unknown campaign kind '{kind}' (known: {', '.join(CAMPAIGN_KINDS)})")
        kind = "sales"
    for key in ("name", "campaign", "start"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"'{key}' must be a string")
    products = data.get("products", [])
    if not isinstance(products, list) or not all(isinstance(p, str) for p in products):
        problems.append("'products' must be a list of product codes")
        products = []

    objections: list[Objection] = []
    raw_objections = data.get("objections", [])
    if not isinstance(raw_objections, list):
        problems.append("'objections' must be an array of tables ([[objections]])")
        raw_objections = []
    for index, raw in enumerate(raw_objections, 1):
        if not isinstance(raw, dict):
            problems.append(f"objection #{index} must be a table")
            continue
        unknown = sorted(set(raw) - {"code", "client", "reply"})
        if unknown:
            problems.append(f"objection #{index}: unknown key(s) {', '.join(unknown)}")
        values = [raw.get(k) for k in ("code", "client", "reply")]
        if not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"objection #{index}: code, client and reply must be non-empty strings")
            continue
        objections.append(Objection(*values))  # type: ignore[arg-type]
    codes = [o.code for o in objections]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"objection code '{code}' repeats")

    raw_blocks = data.get("blocks")
    if not isinstance(raw_blocks, dict) or not raw_blocks:
        problems.append("the script has no blocks ([blocks.<id>] tables)")
        return None, problems
    blocks: dict[str, Block] = {}
    for block_id, raw in raw_blocks.items():
        where = f"{at(block_id)}block '{block_id}'"
        if not isinstance(raw, dict):
            problems.append(f"{where} must be a table")
            continue
        for key in sorted(set(raw) - _BLOCK_KEYS):
            problems.append(f"{where}: unknown key '{key}'")
        body = raw.get("text")
        if not isinstance(body, str) or not body.strip():
            problems.append(f"{where}: 'text' must be a non-empty string")
            body = ""
        for name in unknown_fields(body):
            problems.append(f"{where}: unknown field {{{name}}} in the text (known: {', '.join(sorted(KNOWN_FIELDS))})")
        problems.extend(f"{where}: {problem}" for problem in case_problems(body))
        flags = {}
        for flag in ("talking", "card_offer"):
            value = raw.get(flag, False)
            if not isinstance(value, bool):
                problems.append(f"{where}: '{flag}' must be true or false")
                value = False
            flags[flag] = value
        objection = raw.get("objection")
        if objection is not None and (not isinstance(objection, str) or objection not in codes):
            problems.append(f"{where}: objection '{objection}' is not in the objection bank")
            objection = None
        raw_answers = raw.get("answers", [])
        if not isinstance(raw_answers, list):
            problems.append(f"{where}: 'answers' must be a list")
            raw_answers = []
        if not raw_answers:
            problems.append(f"{where} has no answers: the conversation would stop there")
        if len(raw_answers) > MAX_ANSWERS:
            problems.append(f"{where} has {len(raw_answers)} answers; at most {MAX_ANSWERS} (keys 1-9)")
        answers: list[Answer] = []
        for number, answer in enumerate(raw_answers, 1):
            answers.append(_answer(answer, f"{where}, answer {number}", problems, cat, kind))
        blocks[block_id] = Block(block_id, body, tuple(answers), objection=objection, **flags)

    start = data.get("start") if isinstance(data.get("start"), str) else next(iter(blocks), "")
    if start not in blocks:
        problems.append(f"the start block '{start}' does not exist")
        return None, problems
    for block in blocks.values():
        for number, answer in enumerate(block.answers, 1):
            if answer.next is not None and answer.next not in blocks:
                problems.append(
                    f"{at(block.id)}block '{block.id}', answer {number} leads to unknown block '{answer.next}'"
                )
    script = Script(
        start=start,
        blocks=blocks,
        name=data.get("name", "") if isinstance(data.get("name"), str) else "",
        campaign=data.get("campaign") if isinstance(data.get("campaign"), str) else None,
        kind=kind,
        products=tuple(products),
        objections=tuple(objections),
    )
    problems.extend(_graph_problems(script, at))
    return script, problems


def _answer(raw: object, where: str, problems: list[str], cat: Catalogue, kind: str) -> Answer:
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table {{ text = ..., next = ... }}")
        return Answer(text="?")
    for key in sorted(set(raw) - _ANSWER_KEYS):
        problems.append(f"{where}: unknown key '{key}'")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: 'text' must be a non-empty string")
        text = "?"
    for name in unknown_fields(text):
        problems.append(f"{where}: unknown field {{{name}}} in the text")
    problems.extend(f"{where}: {problem}" for problem in case_problems(text))
    nxt, result, reason, preset = raw.get("next"), raw.get("result"), raw.get("reason"), raw.get("preset")
    if (nxt is None) == (result is None):
        problems.append(f"{where}: give either 'next' (a block) or 'result' (a result code)")
    if nxt is not None and not isinstance(nxt, str):
        problems.append(f"{where}: 'next' must be a block id")
        nxt = None
    if (reason is not None or preset is not None) and result is None:
        problems.append(f"{where}: a 'reason' or 'preset' needs a 'result'")
    if result is not None:
        definition = cat.get(result) if isinstance(result, str) else None
        if definition is None:
            problems.append(f"{where}: unknown result code '{result}' (known: {', '.join(cat.codes)})")
        elif reason is not None:
            found = definition.reason(reason) if isinstance(reason, str) else None
            if found is None:
                known = ", ".join(r.code for r in definition.reasons) or "none"
                problems.append(f"{where}: unknown reason '{reason}' of result '{result}' (known: {known})")
            elif found.requires.campaign_kind not in (None, kind):
                problems.append(f"{where}: reason '{reason}' is only for '{found.requires.campaign_kind}' campaigns")
        if definition is not None and preset is not None:
            chosen = definition.preset(preset) if isinstance(preset, str) else None
            if chosen is None:
                known = ", ".join(p.code for p in definition.presets) or "none"
                problems.append(f"{where}: unknown preset '{preset}' of result '{result}' (known: {known})")
            elif reason is not None and chosen.reason not in (None, reason):
                problems.append(f"{where}: preset '{preset}' fixes the reason '{chosen.reason}'")
    return Answer(
        text=text,
        next=nxt,
        result=result if isinstance(result, str) else None,
        reason=reason if isinstance(reason, str) else None,
        preset=preset if isinstance(preset, str) else None,
    )


def _graph_problems(script: Script, at) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    reachable = {script.start}
    todo = [script.start]
    while todo:
        for answer in script.blocks[todo.pop()].answers:
            if answer.next in script.blocks and answer.next not in reachable:
                reachable.add(answer.next)
                todo.append(answer.next)
    for block_id in script.blocks:
        if block_id not in reachable:
            problems.append(f"{at(block_id)}block '{block_id}' is unreachable from the start block '{script.start}'")
    # Every reachable block must be able to end in a result (no loop without an exit).
    ending = {b.id for b in script.blocks.values() if any(a.result for a in b.answers)}
    changed = True
    while changed:
        changed = False
        for block in script.blocks.values():
            if block.id not in ending and any(a.next in ending for a in block.answers):
                ending.add(block.id)
                changed = True
    for block_id in script.blocks:
        if block_id in reachable and block_id not in ending and script.blocks[block_id].answers:
            problems.append(f"{at(block_id)}block '{block_id}' leads nowhere: no result can be reached from it")
    return problems


def unknown_fields(text: str) -> list[str]:
    return [name for name in _FIELD_RE.findall(text) if _split(name)[0] not in KNOWN_FIELDS]


def case_problems(text: str) -> list[str]:
    """Fields given a case they cannot take: `{client.first_name:xyz}`, `{campaign.name:acc}`."""
    problems = []
    for name in _FIELD_RE.findall(text):
        field_name, case = _split(name)
        if case is not None and field_name in KNOWN_FIELDS:
            problem = case_problem(field_name, case)
            if problem:
                problems.append(problem)
    return problems


def _split(name: str) -> tuple[str, str | None]:
    """`client.first_name:acc` -> ("client.first_name", "acc"); no case -> None."""
    field_name, _colon, case = name.partition(":")
    return field_name.strip(), (case.strip() if _colon else None)


def check_script_text(text: str, cat: Catalogue | None = None) -> list[str]:
    """Every problem of a script (empty: the script is fine). For `crm script check FILE`."""
    _script, problems = _parse(text, cat or catalogue())
    return problems


def load_script(text: str, cat: Catalogue | None = None) -> Script:
    """The script, or ScriptError listing its problems."""
    script, problems = _parse(text, cat or catalogue())
    if problems or script is None:
        raise ScriptError(problems or ["the script is empty"])
    return script


def shipped_scripts(directory: Path | None = None) -> dict[str, str]:
    """The scripts shipped in `campaigns/*.toml`: campaign code (the file name) -> TOML text."""
    folder = directory or SCRIPTS_DIR
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.toml"))}


# --- text ----------------------------------------------------------------------------------


def render(text: str, values: Mapping[str, str | None]) -> str:
    """Fill `{client.first_name}`-style fields, names in the case asked (`{client.first_name:acc}`,
    core.clients.declension); a field without a value becomes empty."""

    def fill(match: re.Match[str]) -> str:
        name, case = _split(match.group(1))
        if name not in KNOWN_FIELDS or (case is not None and case_problem(name, case)):
            return match.group(0)
        return decline(name, case, values) if case else values.get(name) or ""

    return _FIELD_RE.sub(fill, text)


def text_values(
    client: Mapping[str, str | None], employee_full_name: str = "", campaign_name: str = ""
) -> dict[str, str | None]:
    """The values for `render`: the client's fields (as on the card), the employee, the campaign."""
    values: dict[str, str | None] = {f"client.{k}": client.get(k) for k in TEXT_FIELDS["client"]}
    values["employee.full_name"] = employee_full_name
    values["campaign.name"] = campaign_name
    return values
