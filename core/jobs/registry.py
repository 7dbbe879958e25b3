"""Job kinds registered by name: a handler per kind, called with the job's context and payload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.clock import Clock
    from core.repository import Repository


@dataclass(frozen=True)
class JobContext:
    """What a handler gets: the repository bound to the job's own transaction (its database effect
    and the job's done mark commit together), the clock and the job."""

    repo: Repository
    clock: Clock
    job_id: int
    attempts: int


Handler = Callable[[JobContext, dict[str, Any]], None]

_HANDLERS: dict[str, Handler] = {}


def job_kind(kind: str) -> Callable[[Handler], Handler]:
    """Decorator: `@job_kind("tasks.recur")` registers the function as that kind's handler."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> Handler | None:
    """The kinds register themselves when imported: `core.jobs.worker` imports `core.jobs.builtin`."""
    return _HANDLERS.get(kind)


def kinds() -> list[str]:
    return sorted(_HANDLERS)
