"""The campaign form: name, desk, a script file checked by the script checker (its message shown),
calling hours, retry delays and cap, priority. Ctrl+S lists what changes and asks to confirm; a
failed save keeps what was typed (`tui.screens.admin.forms.AdminForm`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from core.calls.campaigns import Campaign, CampaignSpec
from core.calls.scripts import check_script_text
from tui.i18n import N_, _
from tui.screens.admin.forms import AdminForm
from tui.screens.imports.files import PathSuggester

SCRIPTS = PathSuggester((".toml",))
SCRIPT_MAX_BYTES = 120_000  # more than the 30,000 characters a campaign's script may hold
NUMBERS = {
    "retry_first_min": N_("First retry after, min"),
    "retry_next_min": N_("Later retries after, min"),
    "max_attempts": N_("Unreached attempts at most"),
    "priority": N_("Priority (-100..100)"),
}
FIELD_NAMES = {
    "code": N_("Code"),
    "name": N_("Name"),
    "desk_id": N_("Desk"),
    "call_start": N_("Calling from"),
    "call_end": N_("Calling to"),
    **NUMBERS,
}


def read_script(path: str) -> tuple[str | None, str]:
    """The script file's text (None: unusable) and what the script checker says of it."""
    file = Path(path).expanduser()
    try:
        if file.stat().st_size > SCRIPT_MAX_BYTES:
            return None, _("The file is too large for a script.")
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, _("The file cannot be read: {reason}").format(reason=exc.strerror or type(exc).__name__)
    problems = check_script_text(text)
    if problems:
        return None, _("The script has problems: ") + "; ".join(problems[:3])
    return text, _("The script is fine.")


class CampaignForm(AdminForm):
    PLACE = N_("Campaign")
    CRM_HELP = N_(
        "The campaign's settings. An empty number takes the default; the script file is checked "
        "before it is accepted (empty: the script stays). Ctrl+S saves after you confirm."
    )
    FIELDS = {
        "code": "code",
        "name": "name",
        "desk_id": "desk",
        "script": "script",
        "call_start": "call_start",
        "call_end": "call_end",
        **{k: k for k in NUMBERS},
    }

    def __init__(self, campaign: Campaign | None, desks: list[tuple[str, int]]) -> None:
        super().__init__()
        self.campaign = campaign
        self.desks = desks
        self.TITLE = N_("Edit campaign") if campaign else N_("New campaign")

    def fields(self) -> ComposeResult:
        c = self.campaign
        yield Label(_("Code (latin letters, digits, _)"))
        yield Input(c.code if c else "", id="code", max_length=40, disabled=c is not None, compact=True)
        yield Label(_("Name"))
        yield Input(c.name if c else "", id="name", max_length=200, compact=True)
        yield Label(_("Desk"))
        desk = c.desk_id if c and c.desk_id is not None else (self.desks[0][1] if self.desks else Select.BLANK)
        yield Select(self.desks, value=desk, id="desk", compact=True, prompt=_("No desk"))
        yield Label(_("Script file (empty: keep the current one)") if c else _("Script file"))
        yield Input("", id="script", placeholder=_("path to a .toml script"), compact=True, suggester=SCRIPTS)
        yield Static("", id="script-check", markup=False)
        yield Label(_("Calling hours, local time of the client: from, to (HH:MM)"))
        yield Input(
            (c.call_start if c else None) or "", id="call_start", max_length=5, placeholder="09:00", compact=True
        )
        yield Input((c.call_end if c else None) or "", id="call_end", max_length=5, placeholder="20:00", compact=True)
        for name, label in NUMBERS.items():
            yield Label(_(label))
            value = getattr(c, name) if c else None
            yield Input("" if value is None else str(value), id=name, max_length=5, type="integer", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "script":
            event.stop()
            self._check_script()

    def on_descendant_blur(self, event: Any) -> None:
        if getattr(event.widget, "id", None) == "script":
            self._check_script()

    def _check_script(self) -> tuple[str | None, bool]:
        """(the text, whether it may be used); the checker's message is shown under the path."""
        path = self.query_one("#script", Input).value.strip()
        note = self.query_one("#script-check", Static)
        if not path:
            note.update("")
            return None, True
        text, message = read_script(path)
        note.update(message)
        note.set_class(text is None, "error")
        return text, text is not None

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _desk(self) -> int | None:
        value = self.query_one("#desk", Select).value
        return value if isinstance(value, int) else None

    def _number(self, name: str) -> int | None:
        text = self._value(name)
        if not text:
            return 0 if name == "priority" else None
        try:
            return int(text)
        except ValueError:
            raise ValueError(_(NUMBERS[name]) + ": " + _("a whole number, please.")) from None

    def _spec(self) -> CampaignSpec:
        values = {
            "code": self.campaign.code if self.campaign else self._value("code"),
            "name": self._value("name"),
            "desk_id": self._desk(),
            "call_start": self._value("call_start") or None,
            "call_end": self._value("call_end") or None,
            **{name: self._number(name) for name in NUMBERS},
        }
        try:
            return CampaignSpec(**values)
        except ValidationError as exc:
            raise ValueError(shape_error(exc, FIELD_NAMES)) from None

    def changes(self) -> list[str]:
        text, usable = self._check_script()
        if not usable:
            raise ValueError(str(self.query_one("#script-check", Static).content))
        spec = self._spec()
        new = spec.model_dump(exclude={"script"})
        old = self.campaign.model_dump() if self.campaign else {}
        desk_names = {i: n for n, i in self.desks}

        def shown(key: str, value: Any) -> str:
            if key == "desk_id":
                return desk_names.get(value, str(value)) if value is not None else "-"
            return "-" if value in (None, "") else str(value)

        lines = [
            _(FIELD_NAMES[k]) + f": {shown(k, old.get(k))} -> {shown(k, v)}"
            for k, v in new.items()
            if shown(k, old.get(k)) != shown(k, v)
        ]
        if text is not None:
            lines.append(_("Script: a new version from {path}").format(path=self._value("script")))
        self._pending = (spec, text)
        return lines

    _pending: tuple[CampaignSpec, str | None] | None = None

    def save(self, console: Any) -> object:
        """In the worker: the spec and script the confirmation listed."""
        assert self._pending is not None
        spec, text = self._pending
        if self.campaign is None:
            return console.create_campaign(spec.model_copy(update={"script": text or ""}))
        if text is None:  # the script stays as it is
            text = console.campaign_script_version(self.campaign.id, 0)
        return console.edit_campaign(self.campaign.id, spec.model_copy(update={"script": text}))


def shape_error(exc: ValidationError, names: dict[str, str]) -> str:
    """The first problem of a form's values, named as the form names the field."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else ""
    return (_(names[field]) + ": " if field in names else "") + _("this value is not accepted.")
