"""A rule written in words, as the command line and the console's editor take it, and back:
the trigger `KIND [VALUE]` (`deposit 100000 RUB`, `no_contact 30`, `tag_added vip`), effects
`KIND ARG` (`sms office_hours`, `email welcome`, `task Call back`, `action consultation`,
`hand_to 12`, `hand_to head`, `tag vip`) separated by `;` on one line."""

from __future__ import annotations

import shlex
from typing import Any

from core.errors import ValidationFailed


def trigger_words(text: str) -> dict[str, Any]:
    try:
        parts = shlex.split(text)
    except ValueError:
        raise ValidationFailed(f"Cannot read the trigger '{text}'.", field="trigger") from None
    if not parts:
        raise ValidationFailed("Write the trigger: KIND [VALUE], e.g. 'tag_added vip'.", field="trigger")
    kind, args = parts[0], parts[1:]
    if kind == "deposit":
        if len(args) != 2:
            raise ValidationFailed("Write deposit AMOUNT CURRENCY, e.g. 'deposit 100000 RUB'.", field="trigger")
        return {"kind": kind, "amount": args[0], "currency": args[1]}
    if kind == "no_contact":
        if len(args) != 1 or not args[0].isdigit():
            raise ValidationFailed("Write no_contact DAYS, e.g. 'no_contact 30'.", field="trigger")
        return {"kind": kind, "days": int(args[0])}
    return {"kind": kind, "value": " ".join(args) or None}


def effect_words(text: str) -> dict[str, Any]:
    kind, _, arg = text.strip().partition(" ")
    arg = arg.strip()
    if kind == "hand_to":
        if arg == "head":
            return {"kind": kind, "head_of_sales": True}
        return {"kind": kind, "employee_id": int(arg) if arg.isdigit() and 0 < int(arg) < 2**31 else None}
    key = {"sms": "template", "email": "template", "task": "title", "action": "action_type", "tag": "tag"}.get(kind)
    return {"kind": kind, key: arg} if key else {"kind": kind}


def effects_line(text: str) -> list[dict[str, Any]]:
    return [effect_words(part) for part in text.split(";") if part.strip()]


def trigger_text(trigger: Any) -> str:
    parts = (trigger.kind, trigger.value, trigger.amount, trigger.currency, trigger.days)
    return " ".join(str(p) for p in parts if p is not None)


def effect_text(effect: Any) -> str:
    if effect.kind == "hand_to":
        return "hand_to head" if effect.head_of_sales else f"hand_to {effect.employee_id}"
    arg = {"sms": effect.template, "email": effect.template, "task": effect.title, "action": effect.action_type,
           "tag": effect.tag}.get(effect.kind)  # fmt: skip
    return f"{effect.kind} {arg}" if arg else effect.kind


def effects_text(effects: list[Any]) -> str:
    return "; ".join(effect_text(e) for e in effects)
