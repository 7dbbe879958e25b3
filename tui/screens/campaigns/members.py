"""Filling a campaign's list (from a saved view of clients, or by ids), removing clients, and
recycling (exhausted clients or chosen last results back on the list after a delay). Each asks to
confirm what changes and keeps what was typed when the change fails."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, Select

from core.calls.campaigns import IDS_MAX, Campaign, RecyclePlan
from tui.i18n import N_, _
from tui.screens.admin.forms import AdminForm

PAGE = 500  # ids read from a view at a time (core.work view_ids)
_IDS = re.compile(r"[\s,;]+")


def parse_ids(text: str) -> list[int]:
    """Client ids typed as `12, 15 20`; ValueError names what is not an id."""
    out = []
    for part in (p for p in _IDS.split(text.strip()) if p):
        if not part.isdigit():
            raise ValueError(_("Not a client id: {value}").format(value=part))
        out.append(int(part))
    if len(out) > IDS_MAX:
        raise ValueError(_("At most {n} clients at a time.").format(n=IDS_MAX))
    return out


def add_view(console: Any, campaign_id: int, view_id: int) -> int:
    """Every client of the view onto the list, a page at a time; the number added."""
    added, after = 0, 0
    while ids := console.view_ids(view_id, after_id=after, limit=PAGE):
        added += console.add_to_campaign(campaign_id, ids)
        after = ids[-1]
    return added


class MembersForm(AdminForm):
    """Add (from a view or ids) or remove (ids) clients; the answer is the number changed."""

    PLACE = N_("Campaign list")
    CRM_HELP = N_(
        "Choose a saved view of clients or type client ids. Do-not-disturb clients and those "
        "without an active phone are never added. Ctrl+S asks to confirm."
    )
    FIELDS = {"client_ids": "ids"}

    def __init__(self, campaign: Campaign, views: list[tuple[str, int]], remove: bool = False) -> None:
        super().__init__()
        self.campaign = campaign
        self.views = [] if remove else views
        self.removing = remove
        self.TITLE = N_("Remove clients from the list") if remove else N_("Add clients to the list")

    def fields(self) -> ComposeResult:
        if not self.removing:
            yield Label(_("A saved view of clients"))
            yield Select(self.views, id="view", compact=True, prompt=_("No view: the ids below"))
        yield Label(_("Client ids (separated by spaces or commas)"))
        yield Input("", id="ids", placeholder="1024, 1025", compact=True)

    def _view(self) -> int | None:
        if self.removing:
            return None
        value = self.query_one("#view", Select).value
        return value if isinstance(value, int) else None

    def changes(self) -> list[str]:
        ids = parse_ids(self.query_one("#ids", Input).value)
        view = self._view()
        where = _("Campaign") + f": {self.campaign.name}"
        if view is not None:
            name = next(n for n, i in self.views if i == view)
            return [where, _("Add every client of the view '{view}'").format(view=name)]
        if not ids:
            return []
        shown = ", ".join(str(i) for i in ids[:10]) + (" …" if len(ids) > 10 else "")
        verb = _("Remove {n} clients: {ids}") if self.removing else _("Add {n} clients: {ids}")
        return [where, verb.format(n=len(ids), ids=shown)]

    def save(self, console: Any) -> object:
        view, text = self._pending
        if view is not None:
            return add_view(console, self.campaign.id, view)
        ids = parse_ids(text)
        if self.removing:
            return console.remove_from_campaign(self.campaign.id, ids)
        return console.add_to_campaign(self.campaign.id, ids)

    def action_save(self) -> None:
        self._pending = (self._view(), self.query_one("#ids", Input).value)
        super().action_save()

    _pending: tuple[int | None, str] = (None, "")


class RecycleForm(AdminForm):
    PLACE = N_("Recycling")
    CRM_HELP = N_(
        "Exhausted clients, or those whose last result is one of the codes, come back on the list "
        "after the delay. Do-not-disturb clients never come back. Ctrl+S asks to confirm."
    )
    FIELDS = {"results": "results", "delay_min": "delay"}

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.TITLE = N_("Recycle the list")

    def fields(self) -> ComposeResult:
        yield Checkbox(_("Exhausted clients"), value=True, id="exhausted", compact=True)
        yield Label(_("Last results (codes, separated by commas)"))
        yield Input("", id="results", placeholder="no_answer, busy", compact=True)
        yield Label(_("Back on the list after, minutes"))
        yield Input("0", id="delay", type="integer", max_length=6, compact=True)

    def _plan(self) -> RecyclePlan:
        results = [r for r in _IDS.split(self.query_one("#results", Input).value.strip()) if r]
        delay = self.query_one("#delay", Input).value.strip() or "0"
        if not delay.isdigit():
            raise ValueError(_("The delay is a whole number of minutes."))
        exhausted = self.query_one("#exhausted", Checkbox).value
        return RecyclePlan(exhausted=exhausted, results=results, delay_min=int(delay))

    def changes(self) -> list[str]:
        try:
            plan = self._plan()
        except ValueError as exc:  # pydantic's too
            raise ValueError(str(exc).splitlines()[0]) from None
        self._pending = plan
        lines = [_("Campaign") + f": {self.campaign.name}"]
        if plan.exhausted:
            lines.append(_("Exhausted clients come back"))
        if plan.results:
            lines.append(_("Clients whose last result is: ") + ", ".join(plan.results))
        lines.append(_("After {n} min").format(n=plan.delay_min))
        return lines if plan.exhausted or plan.results else []

    _pending: RecyclePlan | None = None

    def save(self, console: Any) -> object:
        assert self._pending is not None
        return console.recycle_campaign(self.campaign.id, self._pending)


def client_views(console: Any) -> list[tuple[str, int]]:
    """The saved views of clients this employee sees, for the list's source."""
    return [(v.name, v.id) for v in console.views("clients")]
