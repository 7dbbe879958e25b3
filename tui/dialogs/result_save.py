"""Saving the result form (K15): one idempotency key per attempt of the same result; a refusal of
the store (nothing written) renews it, a lost answer keeps it so a retry cannot save twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import CrmError, StoreUnavailable
from tui.call_session import LocalInvalid
from tui.call_texts import why
from tui.errors import error_text
from tui.i18n import _

if TYPE_CHECKING:
    from core.clients.models import HistoryEntry
    from core.port import Console
    from tui.call_session import CallSession

# Errors after which the store surely wrote nothing: a changed result may use a new key.
REFUSALS = ("invalid", "conflict", "forbidden", "not_found", "slot_full", "idempotency_mismatch")


class SavePart:
    """Mixed into `ResultDialog` (before `CrmDialog`, whose `show_error` it extends)."""

    session: CallSession
    _saving: bool

    if TYPE_CHECKING:
        from textual.app import App

        app: App[object]

        def query_one(self, selector: str, expect_type: type | None = None): ...  # type: ignore[no-untyped-def]
        def status(self, text: str, kind: str = "info") -> None: ...
        def call(self, job, done, **kwargs) -> None: ...  # type: ignore[no-untyped-def]
        def dismiss(self, result: object = None): ...  # type: ignore[no-untyped-def]
        def slot_full(self, exc: BaseException) -> None: ...

    def action_save(self) -> None:
        if self._saving:
            return
        session = self.session
        try:
            call = session.call_result(self.app.zone)  # type: ignore[attr-defined]
        except LocalInvalid as exc:
            self.show_error(exc)
            return
        self._saving = True
        key = session.key
        self.status(_("Saving…"))

        def job(console: Console) -> HistoryEntry:
            return console.save_call(call, idempotency_key=key)

        self.call(job, self._saved, group="save", failed=self._save_failed, spinner=self.query_one("#save"))

    def _saved(self, entry: HistoryEntry) -> None:
        self._saving = False
        self.session.saved = entry
        self.dismiss(entry)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        code = getattr(exc, "code", "")
        if isinstance(exc, CrmError) and not isinstance(exc, StoreUnavailable) and code in REFUSALS:
            self.session.renew_key()  # nothing was written: a changed result is a new request
        if code == "slot_full":
            self.slot_full(exc)
            return
        if isinstance(exc, CrmError) and code in REFUSALS:
            self.show_error(exc)
            return
        self.status(
            _("Not saved: {error} Everything is kept; Ctrl+S tries again.").format(error=error_text(exc)), "error"
        )

    def show_error(self, exc: BaseException) -> None:
        super().show_error(exc)
        if isinstance(exc, CrmError) and not isinstance(exc, LocalInvalid):
            self.status(why(exc.message), "error")
