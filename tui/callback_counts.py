"""Textual's callback parameter counts, kept per function instead of read by `inspect` per call.

Textual passes a callback as many arguments as it takes (`textual._callback.count_parameters`)
and keeps the count on the callable. But `call_later`, `call_next` and `call_after_refresh` wrap
every callback in a new `functools.partial`, so the count was never found again: each call ran
`inspect.signature` of the function inside (profiled: 3% of the console tests' time, and the same
share of a console's own screen updates and key handling). Here the count of a partial's function
is kept on that function (a bound method's on its `__func__`): the number `inspect.signature`
gives, read once per function. A function made anew at each call (a lambda, a nested `def`) is
counted from its code object, which every function made by that expression shares: the same
number `inspect.signature` gives (it reads the code too), without building a Signature.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from inspect import CO_VARARGS, CO_VARKEYWORDS, signature
from types import CodeType, FunctionType, MethodType
from typing import Any

from textual import _callback

_textual_count = _callback.count_parameters
_PLAIN, _BOUND = "_crm_param_count", "_crm_bound_param_count"  # kept on a function: its count,
# its bound methods' count (not Textual's `_param_count`, which it sets to a bound method's count)
_ELSEWHERE = ("__wrapped__", "__signature__", "_partialmethod", "__partialmethod__")  # inspect reads these first
_by_code: dict[CodeType, int] = {}  # a code object's parameters (code objects live as long as their module)


def _code_count(func: FunctionType) -> int | None:
    """`len(signature(func).parameters)` of a plain function from its code; None when inspect
    would take the signature from elsewhere (a wrapper's `__wrapped__`, a set `__signature__`)."""
    if func.__dict__ and any(name in func.__dict__ for name in _ELSEWHERE):
        return None
    code = func.__code__
    count = _by_code.get(code)
    if count is None:
        flags = code.co_flags
        count = code.co_argcount + code.co_kwonlyargcount + bool(flags & CO_VARARGS) + bool(flags & CO_VARKEYWORDS)
        _by_code[code] = count
    return count


def _function_count(func: Any) -> int | None:
    """`len(signature(func).parameters)` for a plain or bound function, from the code or kept on
    the function; None for any other callable (Textual counts those itself)."""
    if type(func) is FunctionType:
        count = _code_count(func)
        if count is not None:
            return count
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
    """Textual's `count_parameters`, with a partial's count from its function's kept count, and a
    plain function's from its code (Textual keeps a count on the function, made anew each time)."""
    if type(func) is partial:
        count = _function_count(func.func)
        if count is not None:
            return count - (len(func.args) + len(func.keywords))
    elif type(func) is FunctionType and "_param_count" not in func.__dict__:
        count = _code_count(func)
        if count is not None:
            return count
    return _textual_count(func)


def install() -> None:
    """Count through `count_parameters` in every app of the process (idempotent)."""
    _callback.count_parameters = count_parameters
