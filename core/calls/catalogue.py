"""The call-result catalogue (SPEC K1, K3-K13) as data, validated at load (its rules: core.calls.results).

The catalogue is a TOML document (`results.toml` beside this module, or another one given to `load_catalogue`):
result codes with their labels (English msgids; the UI translates them), reasons, required fields,
default follow-up offsets, who may use them and their preconditions. Every rule is a pure function
of the catalogue and the facts of the call (`CallFacts`), so the UI can show an option greyed out
together with the reason WHY (`Availability`).

Preconditions (`requires`, on a result or on one reason):
- `talked = true`            a conversation took place (K1 "Reached" or a script block marked `talking`)
- `objection_attempts = N`   N objection-handling attempts made (K7)
- `permission = "<perm>"`    the employee holds `core.access.rules.Permission(<perm>)` (K9, K11, K13)
- `agreed_within_days = N`   an Agreed result was saved for the client in the last N days (K12)
- `upcoming_visit = true`    the client has a booked office visit still to come (K9)
- `card_product = true`      a card product (`product.is_card`) is among the offered products (K10)
- `halva_card = true`        the Halva instalment card is among the offered products (manual, slide 23)
- `campaign_kind = "<kind>"` the campaign's script declares that kind (K5 "depositor")

Required fields (`fields`, on a result or on one reason): `reason`, `next_at` (a date and time;
`default_next` gives the default), `visit` (region, town, office and a slot of that office),
`visit_at` (a date and time without an office), `products` (offered products, at least one).

Follow-ups (`follow_up`): `retry` (unreached: back on the list after a delay, attempts capped),
`callback` (back on the list at `next_at`), `close` (off this campaign's list), `dnd` (the client's
do-not-disturb flag: off every list).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources

from core.access.rules import Permission

GROUPS = ("outcome", "conversation")
HALVA_CARD = "halva"  # the product code of the Halva instalment card: the "Card product (Halva)" result
FOLLOW_UPS = ("retry", "callback", "close", "dnd")
FIELDS = ("reason", "next_at", "visit", "visit_at", "products")
DEFAULT_NEXT = ("tomorrow",)  # and "+<N>d"
CAMPAIGN_KINDS = ("sales", "borrower_assessment")
REQUIREMENT_TYPES: dict[str, type] = {
    "talked": bool,
    "objection_attempts": int,
    "permission": str,
    "agreed_within_days": int,
    "upcoming_visit": bool,
    "card_product": bool,
    "halva_card": bool,
    "campaign_kind": str,
}


class CatalogueError(ValueError):
    """The catalogue document is malformed; the message names the place."""


@dataclass(frozen=True)
class Requires:
    talked: bool = False
    objection_attempts: int = 0
    permission: str | None = None
    agreed_within_days: int | None = None
    upcoming_visit: bool = False
    card_product: bool = False
    halva_card: bool = False
    campaign_kind: str | None = None


@dataclass(frozen=True)
class ReasonDef:
    code: str
    label: str
    requires: Requires = Requires()
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresetDef:
    """A named shortcut: fixes the reason, the default date and a comment (K4 "will call himself")."""

    code: str
    label: str
    reason: str | None = None
    default_next: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ResultDef:
    code: str
    label: str
    group: str
    follow_up: str
    fields: tuple[str, ...] = ()
    default_next: str | None = None
    requires: Requires = Requires()
    reasons: tuple[ReasonDef, ...] = ()
    presets: tuple[PresetDef, ...] = ()

    @property
    def reason_required(self) -> bool:
        return "reason" in self.fields

    def reason(self, code: str) -> ReasonDef | None:
        return next((r for r in self.reasons if r.code == code), None)

    def preset(self, code: str) -> PresetDef | None:
        return next((p for p in self.presets if p.code == code), None)


@dataclass(frozen=True)
class Catalogue:
    results: tuple[ResultDef, ...]

    def get(self, code: str) -> ResultDef | None:
        return next((r for r in self.results if r.code == code), None)

    def __getitem__(self, code: str) -> ResultDef:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.results)


# --- loading and validation ----------------------------------------------------------------


def load_catalogue(text: str) -> Catalogue:
    """Parse and validate a catalogue document; CatalogueError names the first problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"catalogue: {exc}") from None
    _only(data, {"version", "result"}, "catalogue")
    raw_results = data.get("result")
    if not isinstance(raw_results, list) or not raw_results:
        raise CatalogueError("catalogue: no [[result]] entries")
    results: list[ResultDef] = []
    for index, raw in enumerate(raw_results, 1):
        results.append(_result(raw, index))
    codes = [r.code for r in results]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise CatalogueError(f"catalogue: result codes repeat: {', '.join(duplicates)}")
    return Catalogue(tuple(results))


def _only(table: Mapping[str, object], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _text(table: Mapping[str, object], key: str, where: str, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    return value


def _result(raw: object, index: int) -> ResultDef:
    where = f"result #{index}"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: must be a table")
    allowed = {"code", "label", "group", "follow_up", "fields", "default_next", "requires", "reasons", "presets"}
    _only(raw, allowed, where)
    code = _text(raw, "code", where) or ""
    where = f"result '{code}'"
    label = _text(raw, "label", where) or ""
    group = _text(raw, "group", where)
    if group not in GROUPS:
        raise CatalogueError(f"{where}: group must be one of {', '.join(GROUPS)}")
    follow_up = _text(raw, "follow_up", where)
    if follow_up not in FOLLOW_UPS:
        raise CatalogueError(f"{where}: follow_up must be one of {', '.join(FOLLOW_UPS)}")
    fields = _fields(raw.get("fields", []), where)
    default_next = _default_next(raw.get("default_next"), where)
    if "next_at" in fields and default_next is None:
        raise CatalogueError(f"{where}: a required next_at needs a default_next")
    reasons = tuple(_reason(r, where) for r in _list(raw.get("reasons", []), "reasons", where))
    reason_codes = [r.code for r in reasons]
    if len(set(reason_codes)) != len(reason_codes):
        raise CatalogueError(f"{where}: reason codes repeat")
    if "reason" in fields and not reasons:
        raise CatalogueError(f"{where}: a required reason needs a list of reasons")
    presets = tuple(_preset(p, where, reason_codes) for p in _list(raw.get("presets", []), "presets", where))
    return ResultDef(
        code=code,
        label=label,
        group=group,
        follow_up=follow_up,
        fields=fields,
        default_next=default_next,
        requires=_requires(raw.get("requires", {}), where),
        reasons=reasons,
        presets=presets,
    )


def _list(value: object, key: str, where: str) -> list[object]:
    if not isinstance(value, list):
        raise CatalogueError(f"{where}: '{key}' must be a list")
    return value


def _fields(value: object, where: str) -> tuple[str, ...]:
    items = _list(value, "fields", where)
    for item in items:
        if item not in FIELDS:
            raise CatalogueError(f"{where}: unknown field '{item}' (known: {', '.join(FIELDS)})")
    return tuple(str(i) for i in items)


def _default_next(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or parse_offset(value) is None and value not in DEFAULT_NEXT:
        raise CatalogueError(f"{where}: default_next must be 'tomorrow' or '+<N>d', not {value!r}")
    return value


def _requires(value: object, where: str) -> Requires:
    if not isinstance(value, dict):
        raise CatalogueError(f"{where}: 'requires' must be a table")
    for key, item in value.items():
        kind = REQUIREMENT_TYPES.get(key)
        if kind is None:
            raise CatalogueError(f"{where}: unknown requirement '{key}' (known: {', '.join(REQUIREMENT_TYPES)})")
        if type(item) is not kind:
            raise CatalogueError(f"{where}: requirement '{key}' must be a {kind.__name__}")
    permission = value.get("permission")
    if permission is not None and permission not in {p.value for p in Permission}:
        raise CatalogueError(f"{where}: unknown permission '{permission}'")
    kind = value.get("campaign_kind")
    if kind is not None and kind not in CAMPAIGN_KINDS:
        raise CatalogueError(f"{where}: unknown campaign kind '{kind}'")
    for key in ("objection_attempts", "agreed_within_days"):
        if key in value and value[key] < 0:
            raise CatalogueError(f"{where}: '{key}' must not be negative")
    return Requires(**value)


def _reason(raw: object, owner: str) -> ReasonDef:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{owner}: each reason must be a table")
    _only(raw, {"code", "label", "requires", "fields"}, f"{owner}, a reason")
    code = _text(raw, "code", f"{owner}, a reason") or ""
    where = f"{owner}, reason '{code}'"
    fields = _fields(raw.get("fields", []), where)
    if "reason" in fields or "next_at" in fields:
        raise CatalogueError(f"{where}: a reason may add only visit, visit_at or products")
    return ReasonDef(
        code=code,
        label=_text(raw, "label", where) or "",
        requires=_requires(raw.get("requires", {}), where),
        fields=fields,
    )


def _preset(raw: object, owner: str, reason_codes: list[str]) -> PresetDef:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{owner}: each preset must be a table")
    _only(raw, {"code", "label", "reason", "default_next", "comment"}, f"{owner}, a preset")
    code = _text(raw, "code", f"{owner}, a preset") or ""
    where = f"{owner}, preset '{code}'"
    reason = _text(raw, "reason", where, required=False)
    if reason is not None and reason not in reason_codes:
        raise CatalogueError(f"{where}: unknown reason '{reason}'")
    return PresetDef(
        code=code,
        label=_text(raw, "label", where) or "",
        reason=reason,
        default_next=_default_next(raw.get("default_next"), where),
        comment=_text(raw, "comment", where, required=False),
    )


def parse_offset(value: str) -> timedelta | None:
    """'+14d' -> 14 days; None for anything else."""
    if value.startswith("+") and value.endswith("d") and value[1:-1].isdigit():
        return timedelta(days=int(value[1:-1]))
    return None


def catalogue_text() -> str:
    """The built-in catalogue document, shipped as package data."""
    return resources.files("core.calls").joinpath("results.toml").read_text(encoding="utf-8")


@cache
def catalogue() -> Catalogue:
    """The built-in catalogue, validated once."""
    return load_catalogue(catalogue_text())
