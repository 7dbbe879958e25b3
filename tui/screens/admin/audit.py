"""The audit log of administration: newest first, who, when, what, old -> new; the filter field
narrows it to one login, role or desk; Ctrl+S saves it as CSV (with the export permission)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from core.admin.inputs import AuditFilter
from core.admin.models import AuditChange, AuditLine
from core.admin.rules import AUDIT_ACTION_LABELS, AUDIT_FIELD_LABELS, AUDIT_VALUE_LABELS, WORD_FIELDS
from core.reports.models import ExportFile
from tui.i18n import N_, _, ngettext
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine


class AuditScreen(CrmScreen):
    PLACE = N_("Audit log")
    CRM_HELP = N_("Every administrative change. Type a login, role or desk and Enter to filter; Ctrl+S saves a CSV.")
    BINDINGS = [
        Binding("ctrl+s", "export", N_("Save CSV"), id="audit.export", priority=True),
        Binding("escape", "back", N_("Back"), id="audit.back"),
    ]

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Administration: the audit log"), classes="dialog-title", markup=False)
        yield Input(placeholder=_("Filter: login, role or desk; Enter"), id="target", max_length=100)
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#audit", DataTable).add_columns(_("When"), _("Who"), _("What"), _("Whom"), _("Changes"))
        self.reload()

    def _filter(self) -> AuditFilter:
        return AuditFilter(target=self.query_one("#target", Input).value.strip() or None)

    def reload(self) -> None:
        flt = self._filter()
        self.call(lambda c: c.admin_audit(flt), self._show, group="admin-audit")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.reload()

    def _show(self, lines: list[AuditLine]) -> None:
        table = self.query_one("#audit", DataTable)
        table.clear()
        for a in lines:
            what = "; ".join(_change(c) for c in a.changes)
            action = _(AUDIT_ACTION_LABELS.get(a.action, a.action))
            table.add_row(f"{a.at.astimezone():%d.%m %H:%M}", a.actor, action, a.target, what)
        self.status(ngettext("{n} change.", "{n} changes.", len(lines)).format(n=len(lines)))

    def action_export(self) -> None:
        flt = self._filter()

        def saved(file: ExportFile) -> None:
            Path(file.filename).write_bytes(file.content)
            self.status(_("Saved {file}.").format(file=file.filename))

        self.call(lambda c: c.export_admin_audit(flt), saved, group="admin-audit-export")

    def action_back(self) -> None:
        self.app.pop_screen()


def _change(change: AuditChange) -> str:
    """ "Field: old -> new" in the reader's language; values that are words are translated too."""

    def shown(value: str | None) -> str:
        if value is None or value == "":
            return "-"
        return _(AUDIT_VALUE_LABELS[value]) if change.field in WORD_FIELDS and value in AUDIT_VALUE_LABELS else value

    label = _(AUDIT_FIELD_LABELS.get(change.field, change.field))
    return label + f": {shown(change.old)} -> {shown(change.new)}"
