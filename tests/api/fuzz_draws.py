"""schemathesis's object draws with one `fixed_dictionaries` strategy per object schema and pick of
its optional keys, in place of a new one per drawn object.

schemathesis (`schemathesis.generation.jsonschema.strategy`, `_named_object` and `_drawn_object`)
builds `st.fixed_dictionaries({...})` anew for every object it draws, and Hypothesis validates
each new strategy on its first draw, walking its children (`is_empty`, `has_reusable_values`).
The strategy kept here is built from the same keys in the same order, so every draw, and so every
case, is what it was. The two functions are replaced only while schemathesis's module is the one read here (`SOURCE`,
the digest of its file): any other version keeps its own."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from schemathesis.generation.jsonschema import strategy as drawing

# sha256 of the module's source, that of schemathesis 4.32.5.
SOURCE = "48ecedf4e00bc7cbf9e9123355588b4fa1f11dcd7c821ecf99dadcfa6cb45f25"


def _fixed(required: dict[str, SearchStrategy[Any]], optional: dict[str, SearchStrategy[Any]]) -> Callable:
    """The object strategy for a pick of optional keys, built once per pick."""
    built: dict[tuple[str, ...], SearchStrategy[dict[str, Any]]] = {}

    def fixed(chosen: Iterable[str]) -> SearchStrategy[dict[str, Any]]:
        key = tuple(sorted(chosen))
        found = built.get(key)
        if found is None:
            found = built[key] = st.fixed_dictionaries({**required, **{name: optional[name] for name in key}})
        return found

    return fixed


def named_object(
    required: dict[str, SearchStrategy[Any]],
    optional: dict[str, SearchStrategy[Any]],
    picker: SearchStrategy[set[str]] | None,
) -> SearchStrategy[dict[str, Any]]:
    fixed = _fixed(required, optional)

    @st.composite
    def _named_object(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(picker) if picker is not None else ()
        return draw(fixed(chosen))

    return _named_object()


def drawn_object(
    required: dict[str, SearchStrategy[Any]],
    optional: dict[str, SearchStrategy[Any]],
    picker: SearchStrategy[set[str]] | None,
    collect: Callable[[int, int], SearchStrategy[dict[str, Any]]] | None,
    minimum: int,
    maximum: int | None,
) -> SearchStrategy[dict[str, Any]]:
    fixed = _fixed(required, optional)

    @st.composite
    def _drawn_object(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(picker) if picker is not None else ()
        result = draw(fixed(chosen))
        if collect is None:
            return result
        extra_low = max(0, minimum - len(result))
        extra_high = (
            extra_low + drawing._EXTRA_KEYS
            if maximum is None
            else min(extra_low + drawing._EXTRA_KEYS, maximum - len(result))
        )
        extra = draw(collect(extra_low, extra_high))
        return {**extra, **result}

    return _drawn_object()


REPLACEMENTS = {"_named_object": named_object, "_drawn_object": drawn_object}


def source_digest() -> str:
    return hashlib.sha256(Path(inspect.getfile(drawing)).read_bytes()).hexdigest()


def install(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Replaces both functions for the test if schemathesis's module is the one read here; False if not."""
    if source_digest() != SOURCE:
        return False
    for name, replacement in REPLACEMENTS.items():
        monkeypatch.setattr(drawing, name, replacement)
    return True
