"""The app's stylesheet, each CSS source parsed once per set of theme variables.

Textual's `Stylesheet` drops its parse cache on every `set_variables` (each `refresh_css`: the
first mode, a theme watcher) even when the variables are the same, and `reparse` parses every
source again in a fresh sheet; the next source added (a new widget class) then parses them all a
third time. At start that was app.tcss and Textual's defaults five times (profiled: 40-60 ms of
the first two screens). Here a parse is kept while the variables are unchanged, and the cache
holds more entries than the app has sources (Textual's 64 would be scanned through in order).
The widget classes' default CSS can be parsed ahead in a thread (`parse_default_css`, while the
operator types the login) and adopted by the app's sheet on the UI thread (`adopt`).
"""

from __future__ import annotations

from collections.abc import Iterable
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


class OnceParsedStylesheet(Stylesheet):
    """A Stylesheet whose parsed sources survive a refresh with unchanged variables."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(PARSE_CACHE_SIZE)

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._variables:
            return  # same theme: every parsed source still holds
        super().set_variables(variables)

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
        """Take sources parsed ahead with `variables` (UI thread only: the cache has no lock)."""
        if variables != self._variables:
            return  # the theme changed meanwhile: they would be styled with the old colours
        for key, rules in parsed.items():
            if self._parse_cache.get(key) is None:
                self._parse_cache[key] = rules


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


def parse_default_css(classes: Iterable[type[Widget]], variables: dict[str, str]) -> dict[ParseKey, list[RuleSet]]:
    """The default CSS of `classes` (and their bases) parsed as the app would register it; touches
    no shared state, so it may run in a worker thread. A source that does not parse is left out."""
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
            if key in parsed:
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
