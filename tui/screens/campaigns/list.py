"""K16/K18 campaigns: the list (code, name, active or paused, on and off the list, the list's
health — fresh, retry, exhausted, do-not-disturb —, priority, calling hours, desk); N creates, Enter edits, P pauses or resumes, A adds clients, X removes, R recycles."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from core.calls.campaigns import Campaign
from core.calls.rules import CALL_DAY_END, CALL_DAY_START
from tui.i18n import N_, _
from tui.screens.admin.forms import run_change
from tui.screens.base import Command, CrmScreen
from tui.screens.campaigns.form import CampaignForm
from tui.screens.campaigns.members import MembersForm, RecycleForm, client_views
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

DAY_START, DAY_END = CALL_DAY_START.strftime("%H:%M"), CALL_DAY_END.strftime("%H:%M")  # a campaign's default
# (label, width, a space included): all but the desk fit 80 columns; the desk last, scrolled to.
# The health columns are abbreviated; LEGEND under the table spells them out.
COLUMNS = (
    (N_("Code"), 13),
    (N_("Name"), 14),
    (N_("State"), 10),
    (N_("List"), 5),
    (N_("Off"), 4),
    (N_("Frs"), 4),
    (N_("Rtr"), 4),
    (N_("Exh"), 4),
    (N_("DND"), 4),
    (N_("Pri"), 4),
    (N_("Hours"), 12),
    (N_("Desk"), 12),
)
LEGEND = N_("Frs fresh, Rtr retry, Exh exhausted, DND do not disturb; Off: done or exhausted")


def _fit(text: str, width: int) -> str:
    """The cell's text in its column less the space that parts it from the next (… when cut)."""
    return text if len(text) < width else text[: width - 2] + "…"


class CampaignsScreen(CrmScreen):
    PLACE = N_("Campaigns")
    CRM_HELP = N_(
        "Campaigns of your desks. N new, Enter edit, P pause or resume, A add clients (a view or "
        "ids), X remove clients, R recycle. Every change is confirmed first."
    )
    BINDINGS = [
        Binding("enter", "edit", N_("Edit"), id="campaigns.edit"),
        Binding("n", "new", N_("New"), id="campaigns.new"),
        Binding("p", "pause", N_("Pause/resume"), id="campaigns.pause"),
        Binding("a", "add", N_("Add clients"), id="campaigns.add"),
        Binding("x", "remove", N_("Remove"), id="campaigns.remove"),
        Binding("r", "recycle", N_("Recycle"), id="campaigns.recycle"),
        Binding("escape", "back", N_("Back"), id="campaigns.back"),
    ]
    lines: list[Campaign] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Campaigns"), classes="dialog-title", markup=False)
        yield DataTable(id="campaigns", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(_(LEGEND), id="campaigns-legend", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one("#campaigns", DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        self.call(lambda c: c.list_campaigns(), lambda found: self._show(found, keep), group="campaigns")

    def _desk_name(self, desk_id: int | None) -> str:
        return dict((i, n) for n, i in self._my_desks()).get(desk_id, "-") if desk_id is not None else "-"

    def _my_desks(self) -> list[tuple[str, int]]:
        me = getattr(self.app, "employee", None)
        return list(zip(me.desks, me.desk_ids, strict=False)) if me else []

    def _show(self, lines: list[Campaign], keep: int | None = None) -> None:
        self.lines = lines
        table = self.query_one("#campaigns", DataTable)
        table.clear()
        for c in lines:
            hours = f"{c.call_start or DAY_START}-{c.call_end or DAY_END}"
            state = _("active") if c.active else _("paused")
            health = (c.fresh, c.retries, c.exhausted, c.do_not_disturb)
            row = (c.code, c.name, state, str(c.members), str(c.off_list), *map(str, health), str(c.priority), hours)
            cells = (*row, self._desk_name(c.desk_id))
            table.add_row(*(_fit(v, w) for v, (_l, w) in zip(cells, COLUMNS, strict=True)), key=str(c.id))
        if keep is not None:
            index = next((i for i, c in enumerate(lines) if c.id == keep), 0)
            table.move_cursor(row=index)
        if not lines:
            self.status(_("No campaigns yet: N creates one."))
        table.focus()

    def current(self) -> Campaign | None:
        if not self.lines:
            self.status(_("No campaign chosen."), "error")
            return None
        return self.lines[min(self.query_one("#campaigns", DataTable).cursor_row, len(self.lines) - 1)]

    def _after_form(self, keep: int | None) -> Any:
        def done(saved: bool | None) -> None:
            if saved:
                self.status(_("Saved."))
                self.reload(keep)

        return done

    def action_new(self) -> None:
        self.app.push_screen(CampaignForm(None, self._my_desks()), self._after_form(None))

    def action_edit(self) -> None:
        if (c := self.current()) is not None:
            self.app.push_screen(CampaignForm(c, self._my_desks()), self._after_form(c.id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_pause(self) -> None:
        c = self.current()
        if c is None:
            return
        question = _("Pause the campaign?") if c.active else _("Resume the campaign?")
        change = _("State: active -> paused") if c.active else _("State: paused -> active")

        def job(console: Any) -> object:
            return console.pause_campaign(c.id) if c.active else console.resume_campaign(c.id)

        run_change(self, question, f"{c.name}\n{change}", job, lambda _done: self._campaign_changed(c.id, _("Saved.")))

    def _campaign_changed(self, keep: int, text: str) -> None:
        self.status(text)
        self.reload(keep)

    def _open_members(self, remove: bool) -> None:
        c = self.current()
        if c is None:
            return

        def opened(views: list[tuple[str, int]]) -> None:
            def done(saved: bool | None) -> None:
                if saved:
                    n = int(form.result or 0)  # type: ignore[call-overload]
                    text = _("Removed from the list: {n}") if remove else _("Added to the list: {n}")
                    self._campaign_changed(c.id, text.format(n=n))

            form = MembersForm(c, views, remove=remove)
            self.app.push_screen(form, done)

        self.call(client_views, opened, group="campaign-views")

    def action_add(self) -> None:
        self._open_members(remove=False)

    def action_remove(self) -> None:
        self._open_members(remove=True)

    def action_recycle(self) -> None:
        c = self.current()
        if c is None:
            return

        def done(saved: bool | None) -> None:
            if saved:
                self._campaign_changed(c.id, _("Back on the list: {n}").format(n=int(form.result or 0)))  # type: ignore[call-overload]

        form = RecycleForm(c)
        self.app.push_screen(form, done)

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[Command]:
        return [
            (_("New campaign"), self.action_new, _("Create a campaign")),
            (_("Recycle the list"), self.action_recycle, _("Exhausted or chosen results back on the list")),
        ]
