"""Operator-facing texts of the call: why a result or a reason is unavailable, in the operator's
language, and short summaries of what was chosen.

Core says WHY in English (core.calls.results); fixed reasons are msgids (listed below so the catalogue
carries them), reasons with a number inside are rebuilt from translated templates.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.offices.rules import office_tz
from tui import format as fmt
from tui.errors import translate_message
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.offices.models import Office

# The fixed WHY texts of core.calls.results (FIXED_WHY) and core messages raised outside errors.py.
CORE_TEXTS = (
    N_("Only after talking to the client or a third party."),
    N_("The client has no upcoming office visit to move."),
    N_("Only when a card product is among the offered products."),
    N_("Only when the Halva instalment card is among the offered products."),
    N_("None of its reasons is available to you."),
    N_("Your role may not change visit dates."),
    N_("Only SME staff may use this."),
    N_("Only the active control group may use this."),
    N_("This time is full; choose another time."),
    N_("Visit SMS"),
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), template)
    for p, template in (
        (
            r"^Make (?P<n>\d+) objection-handling attempts first \((?P<made>\d+) of (?P=n) made\)\.$",
            N_("Make {n} objection-handling attempts first ({made} of {n} made)."),
        ),
        (
            r"^Only when an Agreed result was saved for this client in the last (?P<n>\d+) days\.$",
            N_("Only when an Agreed result was saved for this client in the last {n} days."),
        ),
        (r"^Only in a '(?P<kind>[^']+)' campaign\.$", N_("Only in a '{kind}' campaign.")),
        (r"^Your role lacks the permission '(?P<name>[^']+)'\.$", N_("Your role lacks the permission '{name}'.")),
        (r"^No campaign (?P<id>\d+) for you\.$", N_("No campaign {id} for you.")),
        (r"^No office (?P<id>\d+)\.$", N_("No office {id}.")),
    )
]
CAMPAIGN_KINDS = {"borrower assessment": N_("borrower assessment"), "sales": N_("sales")}


def why(message: str | None) -> str:
    """A core WHY (or error) text in the operator's language."""
    if not message:
        return ""
    for pattern, template in _PATTERNS:
        match = pattern.match(message)
        if match:
            values = dict(match.groupdict())
            if "kind" in values:
                values["kind"] = _(CAMPAIGN_KINDS.get(values["kind"], values["kind"]))
            return _(template).format(**values)
    return translate_message(message)


def label(text: str) -> str:
    """A catalogue label (result, reason, preset): English msgid -> the operator's language."""
    return _(text)


def moment(value: datetime | None, zone: tzinfo) -> str:
    return fmt.moment(value, zone)


def weekday_moment(value: datetime, zone: tzinfo) -> str:
    """`Thu 13.03.2025 11:00`."""
    here = value.astimezone(zone)
    return f"{_(fmt.WEEKDAYS[here.weekday()])} {here:%d.%m.%Y %H:%M}"


def office_zone(office: Office | None, operator: tzinfo) -> tzinfo:
    """The zone of an office's visiting times (core.offices.rules.office_tz); the operator's without one."""
    if office is None or not office.timezone:
        return operator
    return ZoneInfo(office_tz(office))


def same_clock(at: datetime, one: tzinfo, other: tzinfo) -> bool:
    return at.astimezone(one).utcoffset() == at.astimezone(other).utcoffset()


def utc_offset(at: datetime, zone: tzinfo) -> str:
    """`UTC+6`, `UTC+5:30`."""
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def office_time(at: datetime, office: tzinfo, operator: tzinfo, with_day: bool = False) -> str:
    """A visiting time in the office's local time, and the operator's beside it when it differs:
    `Thu 13.03.2025 09:00 (yours 06:00)`."""
    shown = weekday_moment(at, office) if with_day else at.astimezone(office).strftime("%H:%M")
    if same_clock(at, office, operator):
        return shown
    return _("{office} (yours {operator})").format(office=shown, operator=at.astimezone(operator).strftime("%H:%M"))
