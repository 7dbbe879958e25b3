"""Automation rules at 80x24 by keyboard only: from the Pipeline (Ctrl+R) to the rules, a rule
written in the editor, a wrong part named with the cursor on its field, switched off and on,
deleted; the command palette offers the rules too."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, type_text, until
from tui.screens.automation.editor import RuleEditor
from tui.screens.automation.rules import AutomationScreen


async def test_a_rule_written_switched_and_deleted_by_keyboard(make_app, db: Engine) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "the rules")
        await shows(pilot, "No rules yet")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, RuleEditor), "the editor")
        await type_text(pilot, "VIP to the head")
        await pilot.press("tab")
        await type_text(pilot, "tag_added vip")
        await pilot.press("tab")
        await type_text(pilot, "lifecycle eq lead")
        await pilot.press("tab")
        await type_text(pilot, "sms nope; hand_to head")
        await pilot.press("shift+tab")  # away from THEN: the error brings the cursor back
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Unknown SMS template 'nope'" in status(app), "the error")
        assert app.focused is app.screen.query_one("#rule-then")  # the part named
        for _ in "sms nope; hand_to head":
            await pilot.press("backspace")
        await type_text(pilot, "sms office_hours; hand_to head")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "back on the rules")
        shown = ("VIP to the head", "tag_added vip", "sms office_hours;", " on ")
        await until(pilot, lambda: all(part in screen_text(app) for part in shown), "the rule in the list")
        (rule,) = world.signed_in(db, "boss").automation_rules()
        assert [c.field for c in rule.conditions] == ["lifecycle"] and rule.effects[1].head_of_sales
        await pilot.press("space")
        await until(pilot, lambda: not app.screen.rules[0].enabled, "switched off")
        await pilot.press("enter")  # edit: the rule's words are back in the fields
        await until(pilot, lambda: isinstance(app.screen, RuleEditor), "the editor again")
        assert app.screen.query_one("#rule-when").value == "tag_added vip"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "the rules again")
        await pilot.press("delete")
        await shows(pilot, "No rules yet")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "pipeline", "the pipeline")
        await pilot.press("ctrl+p")
        await type_text(pilot, "Automation")
        await shows(pilot, "Automation rules")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "the rules from the palette")


async def test_the_rules_in_russian_plain_mode_at_80x24(make_app, db: Engine) -> None:
    import unicodedata

    from core.automation.inputs import RuleDraft

    rule = {"name": "Крупный депозит", "trigger": {"kind": "deposit", "amount": "100000", "currency": "RUB"},
            "effects": [{"kind": "hand_to", "head_of_sales": True}]}  # fmt: skip
    world.signed_in(db, "boss").add_automation_rule(RuleDraft.model_validate(rule))
    app = make_app("boss", lang="ru", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen) and app.screen.rules, "the rules")
        for part in ("Крупный депозит", "deposit 100000 RUB", "hand_to head", "вкл", "Правил: 1."):
            await shows(pilot, part)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, RuleEditor), "the editor")
        await shows(pilot, "Если (условия, можно оставить пустым)")
        text = screen_text(app)
        assert all(ch.isascii() or unicodedata.category(ch).startswith("L") for ch in text), text


async def test_an_email_effect_is_written_in_the_editor(make_app, db: Engine) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7", "ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "the rules")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, RuleEditor), "the editor")
        await type_text(pilot, "Welcome mail")
        await pilot.press("tab")
        await type_text(pilot, "tag_added new")
        await pilot.press("tab", "tab")
        await type_text(pilot, "email nope")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Unknown e-mail template 'nope'" in status(app), "the error")
        for _ in "nope":
            await pilot.press("backspace")
        await type_text(pilot, "welcome")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AutomationScreen), "back on the rules")
        await until(pilot, lambda: "email welcome" in screen_text(app), "the rule in the list")
        (rule,) = world.signed_in(db, "boss").automation_rules()
        assert [(e.kind, e.template) for e in rule.effects] == [("email", "welcome")]
