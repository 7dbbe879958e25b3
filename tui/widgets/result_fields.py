"""The right pane of the result form: what the chosen result needs — its reason, the preset, the
next call, the visit (office, time, SMS), the products, the objection bank, a comment. The form
shows the parts its result needs and fills them from the call's draft."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from core.shapes import COMMENT_LEN, PHONE_LEN
from tui.i18n import _
from tui.widgets.choice_list import ChoiceList
from tui.widgets.ticks import Tick

RESULT_CSS = """
ResultDialog #result-box { height: 22; }
ResultDialog #result-body { height: 1fr; }
ResultDialog #results { width: 30; height: 1fr; max-height: 100%; margin-right: 1; }
ResultDialog #result-form { width: 1fr; height: 1fr; }
ResultDialog #result-why { height: auto; text-style: bold; }
ResultDialog #result-why.-unavailable { color: $error; }
ResultDialog .call-row { height: 1; margin-top: 1; }
ResultDialog .call-label { width: 12; }
ResultDialog .section { height: auto; margin-top: 1; }
ResultDialog #reasons { max-height: 9; }
ResultDialog #next-date, ResultDialog #visit-date { width: 12; margin-right: 1; }
ResultDialog #next-time, ResultDialog #visit-time { width: 7; }
ResultDialog #comment { width: 1fr; }
ResultDialog #sms-number { width: 1fr; }
ResultDialog Checkbox { height: 1; }
ResultDialog .note { color: $text-muted; height: auto; }
"""


def result_fields(comment: str) -> ComposeResult:
    """The pane; it scrolls but takes no focus itself (no hidden tab stop between the lists)."""
    zone_hint = _("dd.mm.yyyy")
    with VerticalScroll(id="result-form", can_focus=False):
        yield Static("", id="result-why", markup=False)
        with Vertical(id="reason-box", classes="section"):
            yield Label("", id="reason-label")
            yield ChoiceList(id="reasons", numbers=True)
        yield Tick("", id="preset", compact=True)
        with Horizontal(id="next-box", classes="call-row"):
            yield Label(_("Next call"), classes="call-label")
            yield Input(id="next-date", compact=True, placeholder=zone_hint)
            yield Input(id="next-time", compact=True, placeholder=_("hh:mm"))
        with Horizontal(id="visit-at-box", classes="call-row"):
            yield Label(_("Visit"), classes="call-label")
            yield Input(id="visit-date", compact=True, placeholder=zone_hint)
            yield Input(id="visit-time", compact=True, placeholder=_("hh:mm"))
        with Vertical(id="visit-box", classes="section"):
            yield Static("", id="visit-text", markup=False)
            yield Button(_("Office and time… (F6)"), id="choose-office", compact=True)
        with Vertical(id="sms-box", classes="section"):
            yield Tick(_("Send the visit SMS"), id="sms-send", compact=True)
            yield Input(id="sms-number", compact=True, max_length=PHONE_LEN)
            yield Static("", id="sms-note", classes="note", markup=False)
        with Vertical(id="products-box", classes="section"):
            yield Static("", id="products-text", markup=False)
            yield Button(_("Products… (F7)"), id="choose-products", compact=True)
        with Vertical(id="objections-box", classes="section"):
            yield Static("", id="objections-text", markup=False)
            yield Button(_("Objection bank… (F8)"), id="open-bank", compact=True)
        with Horizontal(classes="call-row"):
            yield Label(_("Comment"), classes="call-label")
            yield Input(id="comment", compact=True, value=comment, max_length=COMMENT_LEN)
