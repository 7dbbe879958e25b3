"""Textual's callback parameter counts, kept per function instead of read by `inspect` per call.

Textual passes a callback as many arguments as it takes (`textual._callback.count_parameters`)
and keeps the count on the callable. But `call_later`, `call_next` and `call_after_refresh` wrap
every callback in a new `functools.partial`, so the count was never found again: each call ran
`inspect.signature` of the function inside (profiled: 3% of the console tests' time, and the same
share of a console's own screen updates and key handling). Here the count of a partial's function
is kept on that function (a bound method's on its `__func__`): the number `inspect.signature`
gives, read once per function.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from inspect import signature
from types import FunctionType, MethodType
from typing import Any

from textual import _callback

_textual_count = _callback.count_parameters
_PLAIN, _BOUND = "_crm_param_count", "_crm_bound_param_count"  # kept on a function: its count,
# its bound methods' count (not Textual's `_param_count`, which it sets to a bound method's count)


def _function_count(func: Any) -> int | None:
    """`len(signature(func).parameters)` for a plain or bound function, kept on the function;
    None for any other callable (Textual counts those itself)."""
    if type(func) is FunctionType:
        target, name = func, _PLAIN
    elif type(func) is MethodType and type(func.__func__) is FunctionType:
        target, name = func.__func__, _BOUND
    else:
        return None
    count = target.__dict__.get(name)
    if count is None:
        count = len(signature(func).parameters)
        setattr(target, name, count)
    return count


def count_parameters(func: Callable[..., Any]) -> int:
    """Textual's `count_parameters`, with a partial's count from its function's kept count."""
    if type(func) is partial:
        count = _function_count(func.func)
        if count is not None:
            return count - (len(func.args) + len(func.keywords))
    return _textual_count(func)


def install() -> None:
    """Count through `count_parameters` in every app of the process (idempotent)."""
    _callback.count_parameters = count_parameters
