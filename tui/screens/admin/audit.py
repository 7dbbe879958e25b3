"""The audit log of administration: newest first, who, when, what, old -> new; the filter field
narrows it to one login, role or desk; Ctrl+S saves it as CSV (with the export permission)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from core.admin.inputs import AuditFilter
from core.admin.models import AuditLine
from core.reports.models import ExportFile
from tui.i18n import N_, _
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
            what = "; ".join(f"{c.field}: {c.old or '-'} -> {c.new or '-'}" for c in a.changes)
            table.add_row(f"{a.at.astimezone():%d.%m %H:%M}", a.actor, a.action, a.target, what)
        self.status(_("{n} changes.").format(n=len(lines)))

    def action_export(self) -> None:
        flt = self._filter()

        def saved(file: ExportFile) -> None:
            Path(file.filename).write_bytes(file.content)
            self.status(_("Saved {file}.").format(file=file.filename))

        self.call(lambda c: c.export_admin_audit(flt), saved, group="admin-audit-export")

    def action_back(self) -> None:
        self.app.pop_screen()
