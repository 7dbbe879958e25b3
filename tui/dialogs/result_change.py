"""K14: a result chosen earlier — by the script, by a key or by the result list — changes only
after "Change the result chosen earlier?" is confirmed; on No the old result stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.call_texts import label
from tui.dialogs.confirm import ConfirmDialog
from tui.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.call_session import CallSession


def confirm_change(
    node: Screen[object], session: CallSession, then: Callable[[], None], kept: Callable[[], None] | None = None
) -> None:
    """Ask before the chosen result changes; `then` on Yes, `kept` (and a note) on No."""
    draft = session.draft
    option = session.option(draft.result)
    chosen = label(option.label) if option else (draft.result or "")

    def answered(yes: bool | None) -> None:
        if yes:
            then()
            return
        if kept is not None:
            kept()
        status = getattr(node, "status", None)
        if callable(status):
            status(_("The result chosen earlier stays."))

    node.app.push_screen(
        ConfirmDialog(
            _("Change the result chosen earlier?"),
            _("Chosen earlier: {result}").format(result=chosen),
            yes=_("Change"),
        ),
        answered,
    )
