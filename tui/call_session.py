"""One call in progress, as the console keeps it between the call screen and its dialogs.

Nothing here talks to the Console: `CallSession` holds what the operator did so far (the script
walk, the outcome, offered products, objection-handling attempts, the result form as typed) and
builds the `CallResult` that `save_call` writes. The rules themselves — which result is available,
default dates, the visit SMS — stay in core; this module only reads their answers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING

from core.calls.inputs import CallResult, CallState, VisitChoice, VisitSms
from core.calls.script_run import ScriptRun
from core.calls.scripts import ScriptError, load_script
from core.errors import ValidationFailed
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.calls.models import CallStart, CreditDecision, ResultOption
    from core.calls.scripts import Script
    from core.clients.models import ClientCard, HistoryEntry
    from core.offices.models import Office, OfficeSlot, ProductOption

# K1: the outcome of the dial, in the order of the bank's manual; None is "Reached" (the conversation).
OUTCOMES: tuple[tuple[str | None, str], ...] = (
    ("not_reached", N_("Not reached")),
    ("call_dropped", N_("Call dropped")),
    (None, N_("Reached")),
    ("do_not_disturb", N_("Do not disturb")),
    ("consultation", N_("Consultation")),
    ("visit_to_client", N_("Visit to client")),
)

_DAY = re.compile(r"^\s*(\d{1,2})[.,/-](\d{1,2})[.,/-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class LocalInvalid(ValidationFailed):
    """A field the console checks before asking the store (a date that does not exist ...); the
    message is in the operator's language already."""


def parse_date(text: str, field: str) -> date:
    raw = text.strip()
    match = _DAY.match(raw)
    if match:
        d, m, y = (int(g) for g in match.groups())
    else:
        match = _ISO.match(raw)
        if not match:
            raise LocalInvalid(_("Write the date as dd.mm.yyyy, e.g. 11.03.2025."), field=field)
        y, m, d = (int(g) for g in match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise LocalInvalid(_("There is no such date: {text}.").format(text=raw), field=field) from None


def parse_time(text: str, field: str) -> time:
    raw = text.strip()
    match = _TIME.match(raw)
    if not match:
        raise LocalInvalid(_("Write the time as hh:mm, e.g. 14:30."), field=field)
    h, m = (int(g) for g in match.groups())
    if h > 23 or m > 59:
        raise LocalInvalid(_("There is no such time: {text}.").format(text=raw), field=field)
    return time(h, m)


def parse_moment(day_text: str, time_text: str, zone: tzinfo, field: str, required: bool) -> datetime | None:
    """The typed date and time in the operator's zone; None when both are empty and not required."""
    if not day_text.strip() and not time_text.strip():
        if required:
            raise LocalInvalid(_("Enter the date and the time."), field=field)
        return None
    if not day_text.strip():
        raise LocalInvalid(_("Enter the date too."), field=field)
    day = parse_date(day_text, field)
    at = parse_time(time_text, f"{field}_time") if time_text.strip() else time(10, 0)
    return datetime.combine(day, at, tzinfo=zone)


def local_texts(moment: datetime | None, zone: tzinfo) -> tuple[str, str]:
    """(dd.mm.yyyy, hh:mm) of an instant in the operator's zone; empty strings for None."""
    if moment is None:
        return "", ""
    here = moment.astimezone(zone)
    return here.strftime("%d.%m.%Y"), here.strftime("%H:%M")


@dataclass
class Draft:
    """The result form as the operator left it; kept until the call is saved."""

    result: str | None = None
    reason: str | None = None
    preset: str | None = None
    next_date: str = ""
    next_time: str = ""
    next_default: tuple[str, str] | None = None  # the default last filled in (refilled while untouched)
    visit_date: str = ""  # K13 visit to client
    visit_time: str = ""
    comment: str = ""
    office: Office | None = None
    slot: OfficeSlot | None = None
    sms_send: bool | None = None  # None: core's default (ticked unless the visit is today)
    sms_number: str = ""
    from_script: bool = False

    def choose(self, result: str | None, reason: str | None = None, preset: str | None = None) -> None:
        if result != self.result:
            self.next_date = self.next_time = ""
            self.next_default = None
        self.result, self.reason, self.preset = result, reason, preset

    @property
    def next_touched(self) -> bool:
        return self.next_default is not None and (self.next_date, self.next_time) != self.next_default


@dataclass
class CallSession:
    """A call from `start_call` to `save_call` (and the key that makes a retried save harmless)."""

    card: ClientCard
    start: CallStart
    script: Script | None = None
    script_problems: list[str] = field(default_factory=list)
    run: ScriptRun | None = None
    reached: bool = False
    outcome_chosen: bool = False
    products: list[int] = field(default_factory=list)
    objections: list[str] = field(default_factory=list)  # without a script only
    draft: Draft = field(default_factory=Draft)
    options: list[ResultOption] = field(default_factory=list)
    catalogue: list[ProductOption] = field(default_factory=list)
    decision: CreditDecision | None = None
    saved: HistoryEntry | None = None
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    from_card: bool = False

    @classmethod
    def begin(cls, card: ClientCard, start: CallStart, from_card: bool = False) -> CallSession:
        session = cls(card=card, start=start, from_card=from_card)
        info = start.script
        if info is not None and not info.problems:
            try:
                session.script = load_script(info.text)
            except ScriptError as exc:
                session.script_problems = list(exc.problems)
        elif info is not None:
            session.script_problems = list(info.problems)
        if session.script is not None:
            session.run = ScriptRun.start(session.script)
        return session

    # --- what happened so far -----------------------------------------------------------

    def state(self) -> CallState:
        run = self.run
        return CallState(
            answers=list(run.answers) if run else [],
            objections=list(run.objections_used) if run else list(self.objections),
            reached=self.reached,
            products=list(self.products),
        )

    @property
    def objection_attempts(self) -> int:
        return self.run.objection_attempts if self.run else len(self.objections)

    @property
    def talked(self) -> bool:
        return self.reached or (self.run.talked if self.run else False)

    @property
    def card_conversation(self) -> bool:
        """C11: a card product chosen, or the script at a card-offer block."""
        chosen = {p.id for p in self.catalogue if p.is_card}
        return self.talked and (bool(chosen & set(self.products)) or (self.run is not None and self.run.card_offer))

    def option(self, code: str | None) -> ResultOption | None:
        return next((o for o in self.options if o.code == code), None)

    def product_names(self) -> list[str]:
        names = {p.id: p.name for p in self.catalogue}
        return [names.get(i, str(i)) for i in self.products]

    def required(self, code: str | None = None, reason: str | None = None) -> list[str]:
        """The fields the result (and its chosen reason) needs, as the catalogue says."""
        option = self.option(code or self.draft.result)
        if option is None:
            return []
        chosen = reason if reason is not None else self.effective_reason()
        extra = next((r.fields for r in option.reasons if r.code == chosen), [])
        return list(dict.fromkeys([*option.fields, *extra]))

    def default_products(self) -> bool:
        """A result that needs offered products starts with the campaign's own product (the first
        of its script) ticked, unless products were chosen already; True when it was added."""
        codes = self.script.products if self.script else ()
        if self.products or not codes or "products" not in self.required():
            return False
        own = next((p.id for p in self.catalogue if p.code == codes[0]), None)
        if own is None:
            return False
        self.products = [own]
        return True

    def effective_reason(self) -> str | None:
        option = self.option(self.draft.result)
        if option is None:
            return self.draft.reason
        preset = next((p for p in option.presets if p.code == self.draft.preset), None)
        return preset.reason if preset and preset.reason else self.draft.reason

    # --- the result to save -------------------------------------------------------------

    def call_result(self, zone: tzinfo) -> CallResult:
        """What `save_call` gets; LocalInvalid for what the console can tell without the store."""
        draft = self.draft
        option = self.option(draft.result)
        if draft.result is None or option is None:
            raise LocalInvalid(_("Choose a call result."), field="result")
        fields = self.required()
        preset = next((p for p in option.presets if p.code == draft.preset), None)
        reason = None
        if option.reasons:
            reason = None if preset and preset.reason else draft.reason
        next_at = None
        if "next_at" in fields:
            next_at = parse_moment(draft.next_date, draft.next_time, zone, "next_at", required=False)
        visit_at = None
        if "visit_at" in fields:
            visit_at = parse_moment(draft.visit_date, draft.visit_time, zone, "visit_at", required=True)
        visit = None
        if "visit" in fields and draft.office is not None and draft.slot is not None:
            visit = VisitChoice(
                region_id=draft.office.region_id,
                town_id=draft.office.town_id,
                office_id=draft.office.id,
                slot_id=draft.slot.id,
            )
        sms = VisitSms()
        if visit is not None:
            sms = VisitSms(send=draft.sms_send, number=draft.sms_number.strip() or None)
        return CallResult(
            client_id=self.start.client_id,
            campaign_id=self.start.campaign_id,
            phone_id=self.start.phone_id,
            started_at=self.start.started_at,
            state=self.state(),
            result=draft.result,
            reason=reason,
            preset=draft.preset if preset else None,
            comment=draft.comment.strip() or None,
            next_at=next_at,
            visit=visit,
            visit_at=visit_at,
            sms=sms,
            script_version=self.start.script.version if self.start.script else None,
        )

    def renew_key(self) -> None:
        """After an answer that surely wrote nothing (a refusal), a changed result gets a new key;
        after a lost answer the same key is kept, so a retry cannot save the call twice."""
        self.key = uuid.uuid4().hex
