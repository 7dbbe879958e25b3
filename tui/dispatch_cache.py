"""Textual's message handlers, looked up once per node class, handler name and message class.

For every message a node handles, Textual walks the node class's MRO (a widget's is 10-15
classes) and, per class, its `@on` handlers for each class of the message's MRO and the
`_on_x`/`on_x` methods, formatting the method names anew each time
(`MessagePump._get_dispatch_methods`; profiled: 4-5% of the console tests' time). Here that walk's
findings are kept per (node class, handler name, message class): what a class defines does not
change once the class is made. What depends on the message is still decided per message, in the
same order: `prevent_default()` stops before the next class, an `@on` selector is matched
against the message's widgets, and a method is dispatched once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual._on import OnNoWidget
from textual.css.match import match
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widget import Widget

Handlers = tuple[tuple[Callable[..., Any], dict[str, Any]], ...]  # @on methods and their selectors
Step = tuple[type, Handlers, Callable[..., Any] | None]  # a class, its @on handlers, its on_x method
_steps: dict[tuple[type, str, type], tuple[Step, ...]] = {}
_textual_get_dispatch_methods = MessagePump._get_dispatch_methods


def _walk(node_class: type, method_name: str, message_class: type) -> tuple[Step, ...]:
    """The classes of the node's MRO that handle the message, as Textual's walk finds them."""
    message_mro = [kind for kind in message_class.__mro__ if issubclass(kind, Message)]
    steps = []
    for cls in node_class.__mro__:
        decorated = cls.__dict__.get("_decorated_handlers")
        handlers: Handlers = ()
        if decorated:
            handlers = tuple(handler for kind in message_mro for handler in decorated.get(kind, []))
        method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
        if method is not None and getattr(method, "_textual_on", None):
            method = None
        if handlers or method is not None:
            steps.append((cls, handlers, method))
    return tuple(steps)


def _get_dispatch_methods(self: MessagePump, method_name: str, message: Message) -> Iterator[tuple[type, Any]]:
    """`MessagePump._get_dispatch_methods` over the kept walk."""
    key = (type(self), method_name, type(message))
    steps = _steps.get(key)
    if steps is None:
        steps = _steps[key] = _walk(*key)
    dispatched: set[Callable[..., Any]] = set()
    for cls, handlers, method in steps:
        if message._no_default_action:
            break
        for handler, selectors in handlers:
            if handler in dispatched:
                continue
            if selectors:
                if not message._sender:
                    continue
                for attribute, selector in selectors.items():
                    node = getattr(message, attribute)
                    if node is None:
                        break
                    if not isinstance(node, Widget):
                        raise OnNoWidget(f"on decorator can't match against {attribute!r} as it is not a widget.")
                    if not match(selector, node):
                        break
                else:
                    yield cls, handler.__get__(self, cls)
                    dispatched.add(handler)
            else:
                yield cls, handler.__get__(self, cls)
                dispatched.add(handler)
        if method is not None:
            yield cls, method.__get__(self, cls)


def install() -> None:
    """Dispatch every node's messages through the kept walks (idempotent)."""
    MessagePump._get_dispatch_methods = _get_dispatch_methods  # type: ignore[method-assign]
