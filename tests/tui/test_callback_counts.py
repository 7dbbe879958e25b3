"""tui.callback_counts: a partial's parameter count, kept per function, is inspect's count."""

from __future__ import annotations

from functools import partial, wraps
from inspect import signature

from textual import _callback

from tui import callback_counts
from tui.callback_counts import count_parameters


class _Widget:
    def two(self, message, extra=None):  # type: ignore[no-untyped-def]
        return message, extra

    def star(self, *args):  # type: ignore[no-untyped-def]
        return args


def _three(a, b, *, c=1):  # type: ignore[no-untyped-def]
    return a, b, c


def _inspected(callback: partial) -> int:  # type: ignore[type-arg]
    return len(signature(callback.func).parameters) - len(callback.args) - len(callback.keywords)


def test_a_partials_count_is_inspects_count_every_time() -> None:
    widget = _Widget()
    callbacks = [
        partial(widget.two),
        partial(widget.two, 1),
        partial(widget.star),
        partial(_three, 1),
        partial(_three, c=2),
        partial(partial(_three, 1)),
        partial(print),
        partial(lambda: None),
        partial(_Widget.two, widget),
    ]
    for callback in callbacks:
        assert count_parameters(callback) == _inspected(callback), callback
        assert count_parameters(callback) == _inspected(callback), callback  # kept, same answer


def _shapes() -> list:  # type: ignore[type-arg]
    """Plain functions of every parameter shape, made anew at each call as closures are."""

    def wrapped(a, b):  # type: ignore[no-untyped-def]
        return a, b

    @wraps(wrapped)
    def wrapper(*args):  # type: ignore[no-untyped-def] - inspect counts the wrapped function's two
        return wrapped(*args)

    def signed(*args):  # type: ignore[no-untyped-def]
        return args

    signed.__signature__ = signature(_three)  # type: ignore[attr-defined]

    def posonly(a, b=1, /, c=2, *rest, d, e=3, **more):  # type: ignore[no-untyped-def]
        return a, b, c, rest, d, e, more

    return [lambda: None, lambda x: x, lambda *a: a, lambda **k: k, lambda x, *, y: (x, y),
            posonly, wrapper, signed, _three]  # fmt: skip


def test_a_plain_functions_count_is_inspects_count() -> None:
    for first, again in zip(_shapes(), _shapes(), strict=True):
        assert count_parameters(first) == len(signature(first).parameters), first
        assert count_parameters(again) == len(signature(again).parameters), again  # a new function
        assert count_parameters(partial(again)) == len(signature(again).parameters), again


def test_a_new_closure_of_a_counted_code_is_not_inspected(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def make(n):  # type: ignore[no-untyped-def]
        return lambda event, extra=None: (n, event, extra)

    count_parameters(make(0))
    monkeypatch.setattr(callback_counts, "signature", None)  # calling either would raise
    monkeypatch.setattr(_callback, "signature", None)
    assert count_parameters(make(1)) == 2
    assert count_parameters(partial(make(2), "event")) == 1


def test_a_count_textual_kept_on_a_function_is_textuals() -> None:
    widget = _Widget()
    _callback.count_parameters(widget.star)  # Textual keeps the bound count on the function
    assert count_parameters(_Widget.star) == _callback.count_parameters(_Widget.star)


def test_other_callables_are_counted_by_textual() -> None:
    widget = _Widget()
    assert count_parameters(widget.two) == 2
    assert count_parameters(_three) == 3


def test_a_new_partial_of_a_counted_function_is_not_inspected_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    widget = _Widget()
    count_parameters(partial(widget.two))
    monkeypatch.setattr(callback_counts, "signature", None)  # calling it would raise
    assert count_parameters(partial(widget.two, 1)) == 1


async def test_the_app_invokes_its_callbacks_through_the_kept_counts(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    seen: list[object] = []

    class Recorder:
        def got(self, message, extra="none"):  # type: ignore[no-untyped-def]
            seen.append((message, extra))

    async with app.run_test() as pilot:
        assert _callback.count_parameters is count_parameters
        app.call_later(lambda *args: seen.append(args), "a", "b")
        app.call_next(Recorder().got, "m")
        app.call_after_refresh(Recorder().got, "r", extra="x")
        await pilot.pause()
        await pilot.pause()
    assert sorted(map(str, seen)) == sorted(map(str, [("a", "b"), ("m", "none"), ("r", "x")]))
