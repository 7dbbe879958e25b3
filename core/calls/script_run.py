"""The call script's runner (K2, K14): a pure, immutable walk through a `core.calls.scripts.Script`.

`choose(n)` and `back()` return new states; `back()` over an answer that chose a result reports it
(`BackStep.discards`) so the UI asks "Change the result chosen earlier?" and keeps the old state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from core.calls.scripts import Block, Script
from core.errors import ValidationFailed


@dataclass(frozen=True)
class Step:
    """One answered block: the block and the answer's number (1-9)."""

    block: str
    answer: int


@dataclass(frozen=True)
class Outcome:
    result: str
    reason: str | None = None
    preset: str | None = None


@dataclass(frozen=True)
class BackStep:
    """What `back()` would do. If `discards` is set, the step undoes a result chosen earlier: the UI
    asks "Change the result chosen earlier?" and uses `state` on confirm, keeps the old one on cancel."""

    state: ScriptRun
    discards: Outcome | None = None
    moved: bool = True

    @property
    def needs_confirmation(self) -> bool:
        return self.discards is not None


@dataclass(frozen=True)
class ScriptRun:
    """The immutable state of a script walk. Every move returns a new state."""

    script: Script = field(compare=False, repr=False)
    steps: tuple[Step, ...] = ()
    outcome: Outcome | None = None
    bank: tuple[tuple[int, str], ...] = ()  # (steps taken when used, objection code) from the bank

    @classmethod
    def start(cls, script: Script) -> ScriptRun:
        return cls(script)

    @classmethod
    def replay(cls, script: Script, answers: Iterable[int], objections: Iterable[str] = ()) -> ScriptRun:
        """Rebuild a state from the answer numbers (e.g. sent by a remote client); ValidationFailed
        if they do not fit the script."""
        run = cls.start(script)
        try:
            for number in answers:
                run = run.choose(number)
            for code in objections:
                run = run.use_objection(code)
        except ValueError:
            raise ValidationFailed(
                "The script path does not fit the campaign's script; restart the script.", field="script"
            ) from None
        return run

    # where we are

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def current(self) -> str | None:
        """The block shown now; None once an answer chose a result."""
        if self.finished:
            return None
        if not self.steps:
            return self.script.start
        last = self.steps[-1]
        return self.script.block(last.block).answers[last.answer - 1].next

    @property
    def block(self) -> Block | None:
        current = self.current
        return self.script.block(current) if current else None

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(s.answer for s in self.steps)

    @property
    def visited(self) -> tuple[str, ...]:
        """Blocks shown so far, in order (repeats included), the current one last."""
        shown = tuple(s.block for s in self.steps)
        return (*shown, self.current) if self.current else shown

    @property
    def talked(self) -> bool:
        return any(self.script.block(b).talking for b in self.visited)

    @property
    def card_offer(self) -> bool:
        return any(self.script.block(b).card_offer for b in self.visited)

    @property
    def objection_attempts(self) -> int:
        """Objection blocks shown plus objections used from the bank (K7)."""
        return sum(1 for b in self.visited if self.script.block(b).objection) + len(self.bank)

    @property
    def objections_used(self) -> tuple[str, ...]:
        return tuple(code for _n, code in self.bank)

    # moves

    def choose(self, number: int) -> ScriptRun:
        """Pick answer `number` (1-based) of the current block; ValueError if there is none."""
        block = self.block
        if block is None:
            raise ValueError("a result is chosen already; step back to change it")
        if not 1 <= number <= len(block.answers):
            raise ValueError(f"block '{block.id}' has no answer {number}")
        answer = block.answers[number - 1]
        outcome = Outcome(answer.result, answer.reason, answer.preset) if answer.result else None
        return replace(self, steps=(*self.steps, Step(block.id, number)), outcome=outcome)

    def back(self) -> BackStep:
        """One step back (K14): see BackStep."""
        if not self.steps:
            return BackStep(self, None, moved=False)
        kept = len(self.steps) - 1
        state = replace(self, steps=self.steps[:-1], outcome=None, bank=tuple(b for b in self.bank if b[0] <= kept))
        return BackStep(state, self.outcome)

    def use_objection(self, code: str) -> ScriptRun:
        """Record an objection-handling attempt from the bank; ValueError for an unknown code."""
        if self.script.objection(code) is None:
            raise ValueError(f"objection '{code}' is not in the bank")
        return replace(self, bank=(*self.bank, (len(self.steps), code)))
