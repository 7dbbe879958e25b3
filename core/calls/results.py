"""The rules that read the result catalogue: what the call's facts allow, and WHY not (K1-K13).

Every rule is a pure function of the catalogue (`core.calls.catalogue`) and the facts of the call
(`CallFacts`), so the UI can show an option greyed out together with the reason (`Availability`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.access.rules import Permission
from core.calls.catalogue import Catalogue, ReasonDef, Requires, ResultDef, catalogue
from core.errors import ValidationFailed

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

    `next_at` is expected already defaulted by the caller (core.calls.rules.default_next_at).
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
