"""tui.dispatch_cache: the kept walk finds the handlers Textual's own walk finds, in its order."""

from __future__ import annotations

from textual import events, on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widgets import Button, DataTable, Input, Static

from tui import dispatch_cache
from tui.dispatch_cache import _get_dispatch_methods, _textual_get_dispatch_methods


class Pinged(Message):
    pass


class Base(Static):
    def __init__(self, log: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.calls = log

    def on_pinged(self, message: Pinged) -> None:
        self.calls.append("base")

    def _on_key(self, event: events.Key) -> None:
        self.calls.append("base key")


class Stopping(Base):
    def on_pinged(self, message: Pinged) -> None:
        self.calls.append("stopping")
        message.prevent_default()


class Decorated(Base):
    def compose(self) -> ComposeResult:
        yield Button("Yes", id="yes")
        yield Button("No", id="no")

    @on(Pinged)
    def first(self, message: Pinged) -> None:
        self.calls.append("decorated")

    @on(Button.Pressed, "#yes")
    def yes(self, message: Button.Pressed) -> None:
        self.calls.append("yes")


class Box(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def compose(self) -> ComposeResult:
        yield Base(self.calls, id="base")
        yield Stopping(self.calls, id="stopping")
        yield Decorated(self.calls, id="decorated")
        yield Input(id="input")
        yield DataTable(id="table")


def _found(walk, node, message):  # type: ignore[no-untyped-def]
    return [(cls, method.__func__) for cls, method in walk(node, message.handler_name, message)]


async def test_the_kept_walk_finds_what_textuals_walk_finds() -> None:
    app = Box()
    async with app.run_test():
        yes, no = app.query_one("#yes", Button), app.query_one("#no", Button)
        messages = [Pinged(), events.Key("a", "a"), events.Mount(), events.Focus(), events.Blur(),
                    events.Resize(app.size, app.size), Button.Pressed(yes), Button.Pressed(no)]  # fmt: skip
        nodes = [app, app.screen, *app.screen.query("*")]
        for node in nodes:
            for message in messages:
                assert _found(_get_dispatch_methods, node, message) == _found(
                    _textual_get_dispatch_methods, node, message
                ), (node, message)
                assert _found(_get_dispatch_methods, node, message) == _found(
                    _textual_get_dispatch_methods, node, message
                ), "kept walk, second time"
        assert _found(_get_dispatch_methods, app.query_one(Decorated), Button.Pressed(yes))  # @on matched
        assert not _found(_get_dispatch_methods, app.query_one(Decorated), Button.Pressed(no))


async def test_messages_reach_their_handlers_through_the_kept_walk() -> None:
    dispatch_cache.install()
    assert MessagePump._get_dispatch_methods is _get_dispatch_methods
    app = Box()
    async with app.run_test() as pilot:
        for name in ("base", "stopping", "decorated"):
            app.query_one(f"#{name}").post_message(Pinged())
            await pilot.pause()
        app.query_one("#yes", Button).press()
        await pilot.pause()
        app.query_one("#no", Button).press()
        await pilot.pause()
    # prevent_default() in Stopping keeps Base's handler from running; @on first, then on_pinged
    assert app.calls == ["base", "stopping", "decorated", "base", "yes"]
