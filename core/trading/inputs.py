"""Inputs of the broker's side, with their limits."""

from __future__ import annotations

from typing import Literal

from core.shapes import REASON_LEN, Shape, text


class Decision(Shape):
    """M3: `execute` or `reject`; a rejection needs its reason (it goes to the client)."""

    action: Literal["execute", "reject"]
    reason: text(REASON_LEN) | None = None  # type: ignore[valid-type]
