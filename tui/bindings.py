"""Bindings in the operator's language.

BINDINGS hold English msgids (marked with N_); every screen, dialog and widget of the console
replaces its own binding map with translated copies when it is created. Ids and keys stay, so
the user keymap (binding id -> key) applies unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tui.i18n import _


def translated(binding: Binding) -> Binding:
    group = binding.group
    if group is not None:
        group = Binding.Group(_(group.description), compact=group.compact)
    return replace(
        binding,
        description=_(binding.description),
        tooltip=_(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


def localize_bindings(node: DOMNode) -> None:
    keys = {key: [translated(b) for b in bindings] for key, bindings in node._bindings.key_to_bindings.items()}
    node._bindings = BindingsMap.from_keys(keys)


class Localized:
    """Mixin for DOM nodes whose binding descriptions are translated on creation."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        localize_bindings(self)  # type: ignore[arg-type]
