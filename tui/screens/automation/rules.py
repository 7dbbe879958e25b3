"""Automation rules: the list (on/off, name, when, then); Ctrl+N a new rule, Enter edits, Space
switches a rule on or off, Delete removes it, Esc goes back to the Pipeline. Rules need the
`manage_automation` permission; the Console says so otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.automation.models import Rule
    from core.port import Console

COLUMNS = ((N_("Id"), 5), (N_("On"), 4), (N_("Name"), 22), (N_("When"), 20), (N_("Then"), 22))


class AutomationScreen(CrmScreen):
    PLACE = N_("Automation rules")
    CRM_HELP = N_(
        "Automation rules: when an event happens to a client (a stage change, an action done or "
        "overdue, a call result, a deposit, no contact for days, a tag), if the client meets the "
        "conditions, then SMS, tasks, actions, hand-over or tags. Ctrl+N adds a rule, Enter edits it, "
        "Space switches it on or off, Delete removes it. Each firing is written on the client's card."
    )
    FIELD_HELP = {"rules": N_("Enter edits the rule; Space switches it on or off; Delete removes it.")}
    BINDINGS = [
        Binding("ctrl+n", "add", N_("New rule"), id="automation.add", priority=True),
        Binding("space", "switch", N_("On / off"), id="automation.switch"),
        Binding("delete", "delete", N_("Delete"), id="automation.delete"),
        Binding("escape", "back", N_("Back"), id="automation.back"),
    ]
    DEFAULT_CSS = "AutomationScreen #rules { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__(id="automation")
        self.rules: list[Rule] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("pipeline")
        yield DataTable(id="rules", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#rules", DataTable).focus()
        self.load()

    def load(self) -> None:
        self.call(lambda console: console.automation_rules(), self.show_rules, group="rules")

    def show_rules(self, rules: list[Rule]) -> None:
        from core.automation.words import effects_text, trigger_text

        self.rules = rules
        table = self.query_one("#rules", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)
        for r in rules:
            table.add_row(str(r.id), _("on") if r.enabled else _("off"), r.name, trigger_text(r.trigger),
                          effects_text(r.effects))  # fmt: skip
        if rules:
            table.move_cursor(row=min(cursor, len(rules) - 1))
        self.status(_("{n} rules.").format(n=len(rules)) if rules else _("No rules yet: Ctrl+N adds one."))

    def current(self) -> Rule | None:
        row = self.query_one("#rules", DataTable).cursor_row
        return self.rules[row] if 0 <= row < len(self.rules) else None

    def _edit(self, rule: Rule | None) -> None:
        from tui.screens.automation.editor import RuleEditor

        def done(saved: Any) -> None:
            if saved is not None:
                self.status(_("Rule '{name}' saved.").format(name=saved.name), "success")
                self.load()

        self.app.push_screen(RuleEditor(rule), done)

    def action_add(self) -> None:
        self._edit(None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._edit(self.current())

    def action_switch(self) -> None:
        rule = self.current()
        if rule is None:
            return
        rule_id, on = rule.id, not rule.enabled

        def job(console: Console) -> list[Rule]:
            console.enable_automation_rule(rule_id, on)
            return console.automation_rules()

        self.call(job, self.show_rules, group="rules")

    def action_delete(self) -> None:
        rule = self.current()
        if rule is None:
            return
        rule_id = rule.id

        def job(console: Console) -> list[Rule]:
            console.delete_automation_rule(rule_id)
            return console.automation_rules()

        self.call(job, self.show_rules, group="rules")

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[Command]:
        return [(_("New rule"), self.action_add, _("Write a new automation rule"))]
