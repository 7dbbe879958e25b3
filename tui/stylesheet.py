"""The app's stylesheet, each CSS source parsed once per set of theme variables in a process.

Textual's `Stylesheet` drops its parse cache on every `set_variables` (each `refresh_css`: the
first mode, a theme watcher) even when the variables are the same, and `reparse` parses every
source again in a fresh sheet; the next source added (a new widget class) then parses them all a
third time. At start that was app.tcss and Textual's defaults five times (profiled: 40-60 ms of
the first two screens). Here a parse is kept while the variables are unchanged, and the cache
holds more entries than the app has sources (Textual's 64 would be scanned through in order).
The parses are shared by every app of the process (`SharedParses`, keyed by the variables too:
a theme change parses anew, and going back finds the old theme's parses): a second app, a
thin client's next session or the next test, parses nothing.
The widget classes' default CSS can be parsed ahead in a thread (`parse_default_css`, while the
operator types the login; sources parsed already are skipped) and adopted by the app's sheet on
the UI thread (`adopt`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from inspect import getfile

from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.stylesheet import Stylesheet
from textual.css.tokenize import tokenize_values
from textual.message import Message
from textual.widget import Widget

ParseKey = tuple[str, tuple[str, str], bool, int, str]  # Stylesheet._parse_rules' cache key

PARSE_CACHE_SIZE = 1024  # well above the app's CSS sources (widget classes' defaults + app.tcss)
THEMES_KEPT = 4  # sets of variables whose parses the process keeps (the least recent goes)

VariablesKey = tuple[tuple[str, str], ...]
_lock = threading.Lock()  # apps of a process may run on several threads (thin clients)
_by_theme: dict[VariablesKey, LRUCache[ParseKey, list[RuleSet]]] = {}


class SharedParses:
    """The process's parses for one set of CSS variables, as a Stylesheet's parse cache."""

    def __init__(self, variables: dict[str, str]) -> None:
        key = tuple(sorted(variables.items()))
        with _lock:
            cache = _by_theme.pop(key, None)
            if cache is None:
                cache = LRUCache(PARSE_CACHE_SIZE)
                while len(_by_theme) >= THEMES_KEPT:
                    del _by_theme[next(iter(_by_theme))]
            _by_theme[key] = cache  # the most recent last
        self._cache = cache

    def __getitem__(self, key: ParseKey) -> list[RuleSet]:
        with _lock:
            return self._cache[key]

    def __setitem__(self, key: ParseKey, rules: list[RuleSet]) -> None:
        with _lock:
            self._cache[key] = rules

    def __contains__(self, key: object) -> bool:
        with _lock:
            return key in self._cache

    def __len__(self) -> int:
        return len(self._cache)

    def get(self, key: ParseKey) -> list[RuleSet] | None:
        with _lock:
            return self._cache.get(key)

    def clear(self) -> None:
        """Nothing: the parses hold for these variables (Textual clears on every new set)."""


def forget_parses() -> None:
    """Drop every parse of the process (tests that count parses start from none)."""
    with _lock:
        _by_theme.clear()


class OnceParsedStylesheet(Stylesheet):
    """A Stylesheet whose parsed sources survive a refresh with unchanged variables, and serve
    every sheet of the process with the same variables."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = SharedParses(self._variables)  # type: ignore[assignment]

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._variables:
            return  # same theme: every parsed source still holds
        super().set_variables(variables)
        self._parse_cache = SharedParses(self._variables)  # type: ignore[assignment]

    def reparse(self) -> None:
        """As Textual's (a fresh sheet, so an error leaves this one intact), sharing the cache."""
        fresh = Stylesheet(variables=self._variables)
        fresh._parse_cache = self._parse_cache
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    @property
    def variables(self) -> dict[str, str]:
        """The CSS variables the cached sources were parsed with."""
        return self._variables

    def adopt(self, parsed: dict[ParseKey, list[RuleSet]], variables: dict[str, str]) -> None:
        """Take sources parsed ahead with `variables` (on the app's thread)."""
        if variables != self._variables:
            return  # the theme changed meanwhile: they would be styled with the old colours
        for key, rules in parsed.items():
            if self._parse_cache.get(key) is None:
                self._parse_cache[key] = rules

    def parsed(self, key: ParseKey) -> bool:
        """`key` (a source as `parse_default_css` keys it) is parsed for the current variables."""
        return key in self._parse_cache


class CssParsedAhead(Message):
    """Sources parsed in a worker, for the app to `adopt` on its own thread."""

    def __init__(self, parsed: dict[ParseKey, list[RuleSet]], variables: dict[str, str]) -> None:
        super().__init__()
        self.parsed = parsed
        self.variables = variables


def widget_classes() -> set[type[Widget]]:
    """Every Widget subclass imported so far."""
    found: set[type[Widget]] = set()
    todo = [Widget]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def parse_default_css(
    classes: Iterable[type[Widget]], variables: dict[str, str], known: Callable[[ParseKey], bool] = lambda _key: False
) -> dict[ParseKey, list[RuleSet]]:
    """The default CSS of `classes` (and their bases) parsed as the app would register it, but for
    the sources `known` says are parsed; touches no other state, so it may run in a worker
    thread. A source that does not parse is left out."""
    tokens = tokenize_values(variables)
    parsed: dict[ParseKey, list[RuleSet]] = {}
    for cls in classes:
        for depth, base in enumerate(cls._css_bases(cls)):
            css = base.__dict__.get("DEFAULT_CSS", "")
            if not css:
                continue
            try:
                location = (getfile(base), f"{base.__name__}.DEFAULT_CSS")
            except (TypeError, OSError):
                location = ("", f"{base.__name__}.DEFAULT_CSS")
            scope = base._css_type_name if base.__dict__.get("SCOPED_CSS", True) else ""
            key = (css, location, True, -depth, scope)
            if key in parsed or known(key):
                continue
            try:
                rules = list(
                    parse(scope, css, location, variable_tokens=tokens, is_default_rules=True, tie_breaker=-depth)
                )
            except Exception:  # noqa: BLE001 - the app reports it when it parses the source itself
                continue
            if not any(rule.errors for rule in rules):
                parsed[key] = rules
    return parsed
