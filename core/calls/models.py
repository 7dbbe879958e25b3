"""The shapes of the call: campaigns, lists, the script, results, the credit pre-decision (K1-K17, C11)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from core.calls.inputs import CallState
from core.shapes import Shape


class CampaignInfo(Shape):
    id: int
    code: str
    name: str
    kind: str = "sales"  # from the script; "borrower_assessment" enables the K5 "depositor" reason
    script_name: str = ""  # the script's own name (Russian, as the scripts are), if it has one
    # The client's place on the campaign's list (filled by `campaigns_for`):
    state: str | None = None  # core.calls.rules.MemberState
    next_call_at: datetime | None = None
    attempts: int = 0
    last_call_at: datetime | None = None


class CallListInfo(Shape):
    """A campaign's call list as the employee sees it (K16)."""

    campaign: CampaignInfo
    due_callbacks: int
    fresh: int
    due_retries: int


class ScriptInfo(Shape):
    """The campaign's script (K2): run it with core.calls.scripts.load_script(text) and ScriptRun."""

    campaign_id: int
    code: str
    name: str
    kind: str
    text: str
    problems: list[str] = Field(default_factory=list)  # non-empty: the script cannot be used
    version: int = 0  # campaign_script.version: a call started on it saves against it (K16)


class CallStart(Shape):
    client_id: int
    campaign_id: int
    campaign: str
    phone_id: int | None
    phone: str | None  # E.164, or "Call" where masked
    started_at: datetime
    script: ScriptInfo | None
    text_values: dict[str, str | None] = Field(default_factory=dict)  # for core.calls.scripts.render
    state: CallState = Field(default_factory=CallState)


class ReasonOption(Shape):
    code: str
    label: str  # English msgid
    available: bool
    why: str | None = None  # why not, an English msgid
    fields: list[str] = Field(default_factory=list)  # extra fields this reason needs


class PresetOption(Shape):
    code: str
    label: str
    reason: str | None = None
    default_next_at: datetime | None = None
    comment: str | None = None


class ResultOption(Shape):
    """One call result with its availability now and WHY not (K1-K13)."""

    code: str
    label: str  # English msgid
    group: str  # "outcome" (chosen without the script) or "conversation"
    available: bool
    why: str | None = None
    fields: list[str] = Field(default_factory=list)  # reason, next_at, visit, visit_at, products
    reasons: list[ReasonOption] = Field(default_factory=list)
    presets: list[PresetOption] = Field(default_factory=list)
    default_next_at: datetime | None = None
    script_suggests: bool = False  # the script's path ended in this result


class CreditDecision(Shape):
    """C11: the credit bureau's pre-decision."""

    decision: str  # "approved" or "declined"
    label: str  # "Approved" / "Declined"
    passport_series: str
    passport_number: str
    birth_date: date
    at: datetime
