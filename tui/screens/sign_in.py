"""S1: two-step sign-in — login and password, then the one-time code (SMS or authenticator)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.errors import AuthFailed
from tui.errors import error_text
from tui.i18n import N_, _
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.access.models import SessionInfo, SignInChallenge


class SignInScreen(CrmScreen):
    PLACE = N_("Sign-in")
    CRM_HELP = N_(
        "Sign in with your login and password, then type the one-time code: it comes by SMS to your "
        "mobile (or from your authenticator app). After several wrong attempts the account is locked "
        "for a while."
    )
    FIELD_HELP = {
        "login": N_("Your login, as the administrator created it (e.g. ivanova.a)."),
        "password": N_("Your password. It is not shown on screen."),
        "code": N_("The 6-digit code from the SMS or from the authenticator app; it is valid for 5 minutes."),
    }
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="signin.back"),
        # A priority binding, so that the focus moves while this very key is handled: a fast
        # typist's next keys must not land in the login field while the store is being imported.
        Binding("enter", "next", N_("Next step"), id="signin.next", priority=True),
        Binding("f9", "local_code", N_("Code from this local database"), id="signin.local_code"),
    ]

    def __init__(self) -> None:
        super().__init__(id="sign-in")
        self.challenge: SignInChallenge | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Vertical(id="signin-center"), Vertical(id="signin-box"):
            yield Static(_("Sign in to the CRM console"), id="signin-title")
            yield Label(_("Login"), classes="field-label")
            yield Input(id="login", compact=True)
            yield Label(_("Password"), classes="field-label")
            yield Input(id="password", password=True, compact=True)
            yield Label("", id="code-label", classes="field-label")
            yield Input(id="code", compact=True, max_length=8, restrict=r"[0-9 ]*")
            yield Static(_("Enter: next step · Esc: back · F1: help"), id="signin-hint")
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#code-label").display = False
        self.query_one("#code").display = False
        self.query_one("#login", Input).focus()

    def restart(self) -> None:
        """Back to the first step (after sign-out or a dead challenge)."""
        self.challenge = None
        self.query_one("#code", Input).value = ""
        self.query_one("#code-label").display = False
        self.query_one("#code").display = False
        self._lock(False)
        self.query_one("#password", Input).value = ""
        self.query_one("#login", Input).focus()

    def action_back(self) -> None:
        if self.challenge is not None:
            self.restart()
            self.query_one("#password", Input).focus()
            self.status("")

    def action_next(self) -> None:
        focused = self.focused
        if focused is None:
            return
        if focused.id == "login":
            self.set_focus(self.query_one("#password", Input))
        elif focused.id == "password":
            # Keys typed just before Enter may still wait in the field's own queue: read the value
            # after them.
            focused.call_later(self.submit_password)
        elif focused.id == "code":
            focused.call_later(self.submit_code)

    def submit_password(self) -> None:
        login = self.query_one("#login", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not login:
            self.status(_("Type your login."), "error")
            self.query_one("#login", Input).focus()
            return
        if not password:
            self.status(_("Type your password."), "error")
            self.query_one("#password", Input).focus()
            return
        if self.app.store_failed is not None:  # type: ignore[attr-defined]
            self.app.open_store()  # type: ignore[attr-defined]  # try again: the server may be back
        self.status(_("Checking…"))
        self._lock(True)
        self.call(
            lambda console: console.sign_in(login, password),
            self.got_challenge,
            group="sign-in",
            spinner=self.query_one("#signin-box"),
            failed=self.sign_in_failed,
        )

    def _lock(self, locked: bool) -> None:
        """Nothing typed while a step is being checked lands in the wrong field."""
        for widget_id in ("login", "password"):
            self.query_one(f"#{widget_id}", Input).disabled = locked

    def got_challenge(self, challenge: SignInChallenge) -> None:
        self.challenge = challenge
        if challenge.channel == "totp":
            text = _("Code from your authenticator app")
        else:
            text = _("Code sent by SMS to {number}").format(number=challenge.sent_to or "")
        label = self.query_one("#code-label", Label)
        label.update(text)
        label.display = True
        code = self.query_one("#code", Input)
        code.display = True
        code.value = ""
        code.focus()
        self.status(_("Type the one-time code and press Enter."))
        self.refresh_bindings()  # F9 on a local database

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "local_code":  # a local file's outbox only (tui.app.local_codes_readable)
            sms = self.challenge is not None and self.challenge.channel != "totp"
            return sms and self.app.local_codes_readable()  # type: ignore[attr-defined]
        return True

    def action_local_code(self) -> None:
        """F9: the newest sign-in code in the outbox of a local database, typed into the code field."""

        def job(console: object) -> str | None:
            repo = getattr(console, "repo", None)
            items = repo.outbox(20) if repo is not None else []
            item = next((i for i in items if i.purpose == "sign_in_code"), None)
            found = re.search(r"\b(\d{6})\b", item.text) if item else None
            return found.group(1) if found else None

        self.call(job, self._got_local_code, group="local-code")

    def _got_local_code(self, code: str | None) -> None:
        if code is None:
            self.status(_("No sign-in code in this database's outbox."), "error")
            return
        field = self.query_one("#code", Input)
        field.value = code
        field.focus()
        self.status(_("The newest code of this local database is filled in: press Enter."))

    def sign_in_failed(self, exc: BaseException) -> None:
        self._lock(False)
        self.status(error_text(exc), "error")
        password = self.query_one("#password", Input)
        if isinstance(exc, AuthFailed):
            password.value = ""
        password.focus()

    def submit_code(self) -> None:
        if self.challenge is None:
            return
        code = self.query_one("#code", Input).value.replace(" ", "")
        if not code:
            self.status(_("Type the code."), "error")
            return
        challenge_id = self.challenge.challenge_id
        self.status(_("Checking…"))
        self.query_one("#code", Input).disabled = True
        self.call(
            lambda console: console.verify_code(challenge_id, code),
            self.verified,
            group="sign-in",
            spinner=self.query_one("#signin-box"),
            failed=self.code_failed,
        )

    def verified(self, session: SessionInfo) -> None:
        self.status("")
        self.query_one("#code", Input).disabled = False
        if session.employee.must_change_password:  # after a reset: a password of one's own first
            from tui.dialogs.new_password import NewPasswordDialog

            def chosen(employee: object) -> None:
                if employee is not None:
                    self.app.signed_in(employee)  # type: ignore[attr-defined]
                else:
                    self.restart()

            self.app.push_screen(NewPasswordDialog(), chosen)
            return
        self.app.signed_in(session.employee)  # type: ignore[attr-defined]

    def code_failed(self, exc: BaseException) -> None:
        self.query_one("#code", Input).disabled = False
        message = error_text(exc)
        if isinstance(exc, AuthFailed):
            message += " " + _("Esc: start again.")
            code = self.query_one("#code", Input)
            code.value = ""
            code.focus()
        self.status(message, "error")
