"""The rule editor: a name, WHEN (`tag_added vip`), IF (conditions as in the pipeline's line) and
THEN (`sms office_hours; email welcome; task Call back`); Ctrl+S saves, the Console checks the rule and a wrong
part is named in the status line with the cursor on its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from tui.dialogs.base import CrmDialog, save_cancel_row
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.automation.models import Rule
    from core.port import Console


class RuleEditor(CrmDialog[Any]):
    PLACE = N_("Automation rule")
    CRM_HELP = N_(
        "WHEN: lifecycle_changed demo, action_done consultation, action_overdue call, result_saved "
        "callback, deposit 100000 RUB, no_contact 30, tag_added vip. IF: conditions as in the pipeline, "
        "e.g. 'lifecycle eq lead; tag eq vip'. THEN, separated by ';': sms TEMPLATE, email TEMPLATE, "
        "task TITLE, action TYPE, hand_to EMPLOYEE-ID, hand_to head, tag TAG. Ctrl+S saves; Esc cancels."
    )
    FIELD_HELP = {
        "rule-name": N_("The rule's name, as the card's history shows it."),
        "rule-when": N_("The trigger: KIND [VALUE], e.g. tag_added vip or deposit 100000 RUB."),
        "rule-if": N_("Conditions over the client, as in the pipeline: field operator values; …"),
        "rule-then": N_("Effects separated by ';': sms, email, task, action, hand_to, tag."),
    }
    FIELDS = {"name": "rule-name", "trigger": "rule-when", "conditions": "rule-if", "effects": "rule-then"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="rule.save", priority=True)]
    DEFAULT_CSS = """
    RuleEditor .dialog-box { width: 76; }
    RuleEditor Label { margin-top: 1; }
    """

    def __init__(self, rule: Rule | None = None) -> None:
        super().__init__()
        self.rule = rule

    def body(self) -> ComposeResult:
        from core.automation.words import effects_text, trigger_text
        from tui.screens.work.pipeline import conditions_text

        rule = self.rule
        title = _("New automation rule") if rule is None else _("Rule {id}").format(id=rule.id)
        with Vertical(classes="dialog-box"):
            yield Static(title, classes="dialog-title", markup=False)
            yield Label(_("Name"))
            yield Input(rule.name if rule else "", id="rule-name", compact=True, max_length=100)
            yield Label(_("When"))
            yield Input(trigger_text(rule.trigger) if rule else "", id="rule-when", compact=True, max_length=200)
            yield Label(_("If (conditions, may be empty)"))
            yield Input(conditions_text(rule.conditions) if rule else "", id="rule-if", compact=True, max_length=500)
            yield Label(_("Then"))
            yield Input(effects_text(rule.effects) if rule else "", id="rule-then", compact=True, max_length=500)
            yield from save_cancel_row()

    def on_mount(self) -> None:
        self.query_one("#rule-name", Input).focus()

    def show_error(self, exc: BaseException) -> None:
        """The field of the part named (`effects[1].template` -> the THEN line)."""
        from core.errors import ValidationFailed

        super().show_error(exc)
        if isinstance(exc, ValidationFailed) and exc.field:
            part = exc.field.split("[")[0].split(".")[0]
            widget = self.FIELDS.get(part)
            if widget:
                self.query_one(f"#{widget}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def draft(self) -> Any:
        from core.automation.inputs import RuleDraft
        from core.automation.words import effects_line, trigger_words
        from tui.screens.work.pipeline import parse_conditions

        value = {k: self.query_one(f"#rule-{k}", Input).value for k in ("name", "when", "if", "then")}
        return RuleDraft.model_validate(
            {
                "name": value["name"].strip(),
                "enabled": self.rule.enabled if self.rule else True,
                "trigger": trigger_words(value["when"]),
                "conditions": [c.model_dump() for c in parse_conditions(value["if"])],
                "effects": effects_line(value["then"]),
            }
        )

    def action_save(self) -> None:
        try:
            draft = self.draft()
        except Exception as exc:  # noqa: BLE001 - written wrong: say so, keep the text
            self.show_error(exc)
            return
        rule_id = self.rule.id if self.rule else None

        def job(console: Console) -> Rule:
            if rule_id is None:
                return console.add_automation_rule(draft)
            return console.edit_automation_rule(rule_id, draft)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="rule", spinner=self.query_one("#save"))
