"""The call-result catalogue (SPEC K1, K3-K13) as data, validated at load, and the rules that read it.

The catalogue is a TOML document (`CATALOGUE_TOML` below, or another one given to `load_catalogue`):
result codes with their labels (English msgids; the UI translates them), reasons, required fields,
default follow-up offsets, who may use them and their preconditions. Every rule is a pure function
of the catalogue and the facts of the call (`CallFacts`), so the UI can show an option greyed out
together with the reason WHY (`Availability`).

Preconditions (`requires`, on a result or on one reason):
- `talked = true`            a conversation took place (K1 "Reached" or a script block marked `talking`)
- `objection_attempts = N`   N objection-handling attempts made (K7)
- `permission = "<perm>"`    the employee holds `core.access.Permission(<perm>)` (K9, K11, K13)
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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from core.access import Permission
from core.errors import ValidationFailed

CATALOGUE_TOML = r"""
version = 1

# --- K1: the outcome of the dial -----------------------------------------------------------

[[result]]
code = "not_reached"
label = "Not reached"
group = "outcome"
follow_up = "retry"
fields = ["reason"]
reasons = [
    { code = "answering_machine", label = "Answering machine" },
    { code = "no_answer", label = "No answer" },
    { code = "wrong_number", label = "Wrong number" },
    { code = "unavailable", label = "Unavailable" },
    { code = "busy", label = "Busy" },
    { code = "not_exists", label = "Number does not exist" },
    { code = "blocked", label = "Phone blocked" },
    { code = "fax_modem", label = "Fax / modem" },
]

[[result]]
code = "call_dropped"
label = "Call dropped"
group = "outcome"
follow_up = "retry"

# --- the conversation (K4-K10) -------------------------------------------------------------

[[result]]
code = "callback"
label = "Call back"
group = "conversation"
follow_up = "callback"
fields = ["reason", "next_at"]
default_next = "tomorrow"
requires = { talked = true }
reasons = [
    { code = "third_party", label = "Third party; the client can be reached later" },
    { code = "call_dropped", label = "Call dropped" },
    { code = "client_request", label = "Client's request" },
]
presets = [
    { code = "will_call_himself", label = "Client will call himself", reason = "client_request", default_next = "+14d", comment = "Client will call himself" },
]

[[result]]
code = "non_target"
label = "Non-target"
group = "conversation"
follow_up = "close"
fields = ["reason"]
requires = { talked = true }
reasons = [
    { code = "age", label = "Age" },
    { code = "maternity_leave", label = "Maternity leave" },
    { code = "away_30_days", label = "Away for 30 days or more" },
    { code = "no_request", label = "Did not leave a request" },
    { code = "sole_trader", label = "Sole trader" },
    { code = "overdue_debt", label = "Overdue debt" },
    { code = "depositor", label = "Depositor", requires = { campaign_kind = "borrower_assessment" } },
    { code = "other_conditions", label = "Does not fit other conditions" },
    { code = "refused_in_office", label = "Refused in the office" },
    { code = "no_official_job", label = "No official employment" },
    { code = "no_registration", label = "No permanent registration" },
    { code = "personal_data_error", label = "Error in personal data" },
    { code = "no_branch_in_region", label = "Region without branches" },
    { code = "already_applied", label = "Already applied to the bank" },
]

[[result]]
code = "think"
label = "Will think about it"
group = "conversation"
follow_up = "callback"
fields = ["next_at"]
default_next = "+14d"
requires = { talked = true }

[[result]]
code = "refused"
label = "Refused"
group = "conversation"
follow_up = "close"
fields = ["reason"]
requires = { talked = true, objection_attempts = 2 }
reasons = [
    { code = "no_need", label = "Does not need it" },
    { code = "high_rate", label = "The rate is too high" },
    { code = "other_bank", label = "Uses another bank" },
    { code = "no_time", label = "No time to visit an office" },
    { code = "distrust", label = "Does not trust the bank" },
    { code = "bad_experience", label = "Bad experience with the bank" },
]

[[result]]
code = "agreed"
label = "Agreed"
group = "conversation"
follow_up = "close"
fields = ["visit", "products"]
requires = { talked = true }

[[result]]
code = "changed_visit_date"
label = "Changed visit date"
group = "conversation"
follow_up = "close"
fields = ["visit"]
requires = { talked = true, permission = "change_visit_date", upcoming_visit = true }

[[result]]
code = "card_product"
label = "Card product (Halva)"
group = "conversation"
follow_up = "close"
fields = ["reason", "products"]
requires = { talked = true, halva_card = true }
reasons = [
    { code = "dsm_delivery", label = "Delivery by a direct-sales manager" },
    { code = "fc_delivery", label = "Delivery by a financial consultant" },
    { code = "self_pickup", label = "Self-pickup in an office", fields = ["visit"] },
]

# --- K1 again: outcomes without the script -------------------------------------------------

[[result]]
code = "do_not_disturb"
label = "Do not disturb"
group = "outcome"
follow_up = "dnd"
fields = ["reason"]
reasons = [
    { code = "third_party_cannot_invite", label = "Third party cannot invite the client" },
    { code = "no_request", label = "Did not leave a request" },
    { code = "client_died", label = "Client died" },
    { code = "wrong_number", label = "Wrong number" },
    { code = "refused_conversation", label = "Refused the conversation" },
    { code = "business_not_conducted", label = "Business not conducted", requires = { permission = "sme" } },
    { code = "negative_information", label = "Negative information about the applicant", requires = { permission = "control_group" } },
]

[[result]]
code = "consultation"
label = "Consultation"
group = "outcome"
follow_up = "close"
requires = { agreed_within_days = 14 }

[[result]]
code = "visit_to_client"
label = "Visit to client"
group = "outcome"
follow_up = "close"
fields = ["visit_at"]
requires = { permission = "sme" }
"""

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


@cache
def catalogue() -> Catalogue:
    """The built-in catalogue, validated once."""
    return load_catalogue(CATALOGUE_TOML)


# --- the facts of a call and availability --------------------------------------------------


@dataclass(frozen=True)
class CallFacts:
    """What the rules need to know about the call at hand; built by the service from the store."""

    now: datetime
    permissions: frozenset[str] = frozenset()
    talked: bool = False
    objection_attempts: int = 0
    campaign_kind: str = "sales"
    last_agreed_at: datetime | None = None  # the newest Agreed result of the client, any campaign
    upcoming_visit: bool = False
    card_product: bool = False  # a card product is among the offered products
    halva_card: bool = False  # the Halva instalment card (HALVA_CARD) is among them


@dataclass(frozen=True)
class Availability:
    allowed: bool
    why: str | None = None  # an English msgid saying why not


ALLOWED = Availability(True)

_PERMISSION_WHY = {
    Permission.CHANGE_VISIT_DATE.value: "Your role may not change visit dates.",
    Permission.SME.value: "Only SME staff may use this.",
    Permission.CONTROL_GROUP.value: "Only the active control group may use this.",
}


def check_requires(requires: Requires, facts: CallFacts) -> Availability:
    """The first unmet precondition, in the order an operator can fix them."""
    if requires.permission is not None and requires.permission not in facts.permissions:
        why = _PERMISSION_WHY.get(requires.permission, f"Your role lacks the permission '{requires.permission}'.")
        return Availability(False, why)
    if requires.campaign_kind is not None and facts.campaign_kind != requires.campaign_kind:
        label = requires.campaign_kind.replace("_", " ")
        return Availability(False, f"Only in a '{label}' campaign.")
    if requires.talked and not facts.talked:
        return Availability(False, "Only after talking to the client or a third party.")
    if facts.objection_attempts < requires.objection_attempts:
        return Availability(
            False,
            f"Make {requires.objection_attempts} objection-handling attempts first "
            f"({facts.objection_attempts} of {requires.objection_attempts} made).",
        )
    if requires.agreed_within_days is not None:
        since = facts.now - timedelta(days=requires.agreed_within_days)
        if facts.last_agreed_at is None or facts.last_agreed_at < since:
            return Availability(
                False,
                f"Only when an Agreed result was saved for this client in the last {requires.agreed_within_days} days.",
            )
    if requires.upcoming_visit and not facts.upcoming_visit:
        return Availability(False, "The client has no upcoming office visit to move.")
    if requires.card_product and not facts.card_product:
        return Availability(False, "Only when a card product is among the offered products.")
    if requires.halva_card and not facts.halva_card:
        return Availability(False, "Only when the Halva instalment card is among the offered products.")
    return ALLOWED


def result_availability(result: ResultDef, facts: CallFacts) -> Availability:
    verdict = check_requires(result.requires, facts)
    if not verdict.allowed:
        return verdict
    if result.reason_required and not any(check_requires(r.requires, facts).allowed for r in result.reasons):
        return Availability(False, "None of its reasons is available to you.")
    return ALLOWED


def reason_availability(reason: ReasonDef, facts: CallFacts) -> Availability:
    return check_requires(reason.requires, facts)


# --- checking a chosen result --------------------------------------------------------------


@dataclass(frozen=True)
class ResultInput:
    """What the operator filled in, reduced to what the rules look at."""

    code: str
    reason: str | None = None
    preset: str | None = None
    next_at: datetime | None = None
    has_visit: bool = False  # region, town, office and slot chosen
    visit_at: datetime | None = None
    product_ids: tuple[int, ...] = field(default_factory=tuple)


def required_fields(result: ResultDef, reason: str | None) -> tuple[str, ...]:
    """The result's fields plus those the chosen reason adds (K10 self-pickup needs a visit)."""
    extra = result.reason(reason).fields if reason and result.reason(reason) else ()
    return tuple(dict.fromkeys((*result.fields, *extra)))


def effective_reason(result: ResultDef, choice: ResultInput) -> str | None:
    preset = result.preset(choice.preset) if choice.preset else None
    return preset.reason if preset and preset.reason else choice.reason


def check_result(cat: Catalogue, facts: CallFacts, choice: ResultInput) -> ResultDef:
    """Raise ValidationFailed (with the field at fault) unless the choice may be saved as it is.

    `next_at` is expected already defaulted by the caller (core.call_rules.default_next_at).
    """
    result = cat.get(choice.code)
    if result is None:
        raise ValidationFailed("Choose a call result.", field="result")
    verdict = result_availability(result, facts)
    if not verdict.allowed:
        raise ValidationFailed(verdict.why or "This result is not available.", field="result")
    if choice.preset is not None:
        preset = result.preset(choice.preset)
        if preset is None:
            raise ValidationFailed("Unknown option of this result.", field="preset")
        if preset.reason and choice.reason and choice.reason != preset.reason:
            raise ValidationFailed("This option fixes the reason; do not choose another.", field="reason")
    reason = effective_reason(result, choice)
    if reason is not None:
        found = result.reason(reason)
        if found is None:
            raise ValidationFailed("Choose a reason from the list.", field="reason")
        verdict = reason_availability(found, facts)
        if not verdict.allowed:
            raise ValidationFailed(verdict.why or "This reason is not available.", field="reason")
    fields = required_fields(result, reason)
    if "reason" in fields and reason is None:
        raise ValidationFailed("Choose a reason.", field="reason")
    if "next_at" in fields:
        if choice.next_at is None:
            raise ValidationFailed("Set the date and time of the next call.", field="next_at")
        if choice.next_at <= facts.now:
            raise ValidationFailed("The next call must be in the future.", field="next_at")
    if "visit" in fields and not choice.has_visit:
        raise ValidationFailed("Choose the region, town, office and time of the visit.", field="visit")
    if "visit_at" in fields:
        if choice.visit_at is None:
            raise ValidationFailed("Set the date and time of the visit.", field="visit_at")
        if choice.visit_at <= facts.now:
            raise ValidationFailed("The visit must be in the future.", field="visit_at")
    if "products" in fields and not choice.product_ids:
        raise ValidationFailed("Choose the offered products.", field="products")
    return result


FIXED_WHY = (
    "Only after talking to the client or a third party.",
    "The client has no upcoming office visit to move.",
    "Only when a card product is among the offered products.",
    "Only when the Halva instalment card is among the offered products.",
    "None of its reasons is available to you.",
    *_PERMISSION_WHY.values(),
)


def msgids(cat: Catalogue | None = None) -> list[str]:
    """Every fixed English text of the catalogue (labels, fixed reasons why not) for the gettext
    catalogue; texts with numbers ("Make 2 objection-handling attempts first (1 of 2 made).",
    "... in the last 14 days.", "Only in a 'borrower assessment' campaign.") are formatted."""
    cat = cat or catalogue()
    texts: list[str] = []
    for result in cat.results:
        texts.append(result.label)
        texts.extend(r.label for r in result.reasons)
        for preset in result.presets:
            texts.append(preset.label)
            if preset.comment:
                texts.append(preset.comment)
    texts.extend(FIXED_WHY)
    return list(dict.fromkeys(texts))
