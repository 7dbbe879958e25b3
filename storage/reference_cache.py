"""Reference data kept in memory: the product catalogue and the SMS templates change only when
`storage.reference.ensure_reference_data` writes them, which bumps a generation counter; an entry
of an older generation, or older than `TTL_S` (another process may have written), is read again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
TTL_S = 60.0

_generation = 0
_lock = threading.Lock()


def changed() -> None:
    """Reference data was written in this process: every cache reads it again."""
    global _generation
    with _lock:
        _generation += 1


class ReferenceCache:
    """Values by name, each with the generation and time it was read at."""

    def __init__(self, ttl_s: float = TTL_S) -> None:
        self._ttl = ttl_s
        self._known: dict[str, tuple[int, float, Any]] = {}

    def get(self, name: str, load: Callable[[], T]) -> T:
        hit = self._known.get(name)
        now = time.monotonic()
        if hit is not None and hit[0] == _generation and now - hit[1] < self._ttl:
            return hit[2]
        generation = _generation
        value = load()
        self._known[name] = (generation, now, value)
        return value


def cache_of(repository: object) -> ReferenceCache:
    """The cache of one repository (one database), made on first use."""
    cache = vars(repository).get("_reference")
    if cache is None:
        cache = vars(repository)["_reference"] = ReferenceCache()
    return cache
