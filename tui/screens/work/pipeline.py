"""F7 — "Pipeline" (M4, M5, M7): the Actions table and the clients' list, filtered by saved views.

The tabs on top are the views of the list (one key, Ctrl+T, goes to the next); the line below
takes conditions (`overdue eq true; type eq call`); Enter on a row opens the client. Overdue
actions say so in words, never by colour alone. Every rule and every row comes from the Console."""

from __future__ import annotations

import shlex
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from core.work.inputs import ConditionIn, ListQuery
from core.work.rules import DEFAULT_SORT, SORTS, Subject
from tui.bindings import localize_bindings
from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.port import Console
    from core.work.models import View

PAGE = 100
# built-in tabs before the saved views: (name msgid, conditions)
BUILT_IN: dict[str, list[tuple[str, list[tuple[str, str, list[str]]]]]] = {
    "actions": [(N_("All actions"), []), (N_("Overdue"), [("overdue", "eq", ["true"])])],
    "clients": [(N_("All clients"), [])],
}
# widths fit 80 columns with the scrollbar; a longer name or type wraps at its spaces (a taller row)
COLUMNS = {
    "actions": ((N_("Due"), 14), (N_("State"), 10), (N_("Type"), 13), (N_("Client"), 15), (N_("Employee"), 14)),
    "clients": ((N_("CRM id"), 6), (N_("Client"), 24), (N_("Type"), 16), (N_("Stage"), 6), (N_("Desk"), 16)),
}
SORT_NAMES = {
    "id": N_("id"), "due_at": N_("due time"), "type": N_("type"), "client": N_("client"), "employee": N_("employee"),
    "done_at": N_("done time"), "created_at": N_("creation"), "surname": N_("surname"),
    "last_contact_at": N_("last contact"), "last_call_at": N_("last call"), "last_note_at": N_("last note"),
}  # fmt: skip


class PipelineTable(DataTable[Text]):
    BINDINGS = [*ROW_KEYS, Binding("space", "screen.done", N_("Done"), id="pipeline.done")]

    def __init__(self) -> None:
        super().__init__(id="rows", cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


def parse_conditions(text: str) -> list[ConditionIn]:
    """`field op value [value]; …` as typed in the filter line."""
    from core.errors import ValidationFailed

    out = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        try:
            words = shlex.split(part)
        except ValueError:
            words = []
        if len(words) < 2:
            raise ValidationFailed(_("A condition is: field operator value, e.g. type eq call."), field="conditions")
        out.append(ConditionIn(field=words[0], op=words[1], values=words[2:]))
    return out


def conditions_text(conditions: list[Any]) -> str:
    return "; ".join(" ".join([c.field, c.op, *[shlex.quote(v) for v in c.values]]) for c in conditions)


class PipelineScreen(CrmScreen):
    PLACE = N_("Pipeline")
    CRM_HELP = N_(
        "The pipeline: the Actions table or the clients' list (Ctrl+L switches), filtered by the view "
        "of the tab on top (Ctrl+T: the next tab). Type conditions in the line, e.g. "
        "'overdue eq true; type eq call' or 'last_contact_at lt -30d', and press Enter; Ctrl+S saves "
        "them as a view. Ctrl+O sorts by the next column, Ctrl+B reverses. Enter opens the client, "
        "Space marks an action done, Ctrl+G tags every client of the view, Ctrl+N shows the next page."
    )
    FIELD_HELP = {
        "filter": N_("Conditions: field operator values; operators eq, ne, lt, gt, between, empty."),
        "rows": N_("Enter opens the client; Space marks the action done or open again."),
    }
    FIELDS = {"conditions": "filter", "sort": "filter"}
    BINDINGS = [
        Binding("ctrl+t", "next_view", N_("Next view"), id="pipeline.next_view", priority=True),
        # named by the list it goes to (_name_subject_key)
        Binding("ctrl+l", "subject", N_("The clients"), id="pipeline.subject", priority=True),
        Binding("ctrl+o", "sort", N_("Sort"), id="pipeline.sort", priority=True),
        # the rest stay off the key line (one row at 80 columns): F1 and the palette list them
        Binding("ctrl+b", "reverse", N_("Reverse"), id="pipeline.reverse", priority=True, show=False),
        Binding("ctrl+s", "save_view", N_("Save the view"), id="pipeline.save_view", priority=True, show=False),
        Binding("ctrl+g", "tag_view", N_("Tag them all"), id="pipeline.tag_view", priority=True, show=False),
        Binding("ctrl+n", "next_page", N_("Next page"), id="pipeline.next_page", priority=True, show=False),
        Binding(
            "ctrl+r", "app.automation", N_("Automation rules"), id="pipeline.automation", priority=True, show=False
        ),
        Binding("escape", "back", N_("Back"), id="pipeline.back", show=False),
    ]
    DEFAULT_CSS = """
    PipelineScreen #view-tabs { height: 1; padding: 0 1; }
    PipelineScreen #filter { margin: 0 1; }
    PipelineScreen #rows { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="pipeline")
        self.subject = "actions"
        self.views: list[View] = []
        self.tab = 0
        self.sort: str | None = None
        self.shown_sort: str | None = None  # the order of the rows shown (the page says)
        self.descending = False
        self.page_start = 0
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("pipeline")
        yield Static("", id="view-tabs", markup=False)
        yield Input(placeholder=_("Conditions, e.g. overdue eq true"), compact=True, id="filter")
        yield PipelineTable()
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(PipelineTable).focus()
        self.load_views()

    # --- views and tabs -----------------------------------------------------------------------

    def tabs(self) -> list[tuple[str, list[Any], View | None]]:
        built = [
            (_(name), [ConditionIn(field=f, op=o, values=v) for f, o, v in c], None)
            for name, c in BUILT_IN[self.subject]
        ]
        return built + [(v.name, list(v.conditions), v) for v in self.views]

    def load_views(self) -> None:
        subject = self.subject
        self.call(lambda console: console.views(subject), self._got_views, group="views")

    def _got_views(self, views: list[View]) -> None:
        self.views = views
        self.tab = min(self.tab, len(self.tabs()) - 1)
        self.show_tab()

    def show_tab(self) -> None:
        name, conditions, view = self.tabs()[self.tab]
        self.query_one("#filter", Input).value = conditions_text(conditions)
        if view is not None:
            self.sort, self.descending = view.sort, view.descending
        self._draw_tabs()
        self.page_start = 0
        self.load()

    def _draw_tabs(self) -> None:
        plain = getattr(self.app, "plain", False)
        line = Text(no_wrap=True, overflow="ellipsis")
        for i, (name, _c, view) in enumerate(self.tabs()):
            mark = (">" if plain else "▸") if i == self.tab else " "
            shared = "*" if view is not None and view.shared else ""
            line.append(f"{mark}{name}{shared}", style="reverse bold" if i == self.tab else "")
            line.append("  ")
        self.query_one("#view-tabs", Static).update(line)

    # --- loading ------------------------------------------------------------------------------

    def list_query(self) -> ListQuery:
        conditions = parse_conditions(self.query_one("#filter", Input).value)
        return ListQuery(
            conditions=conditions, sort=self.sort, descending=self.descending, offset=self.page_start, limit=PAGE
        )

    def load(self) -> None:
        try:
            query = self.list_query()
        except Exception as exc:  # noqa: BLE001 - a condition typed wrong: say so, keep the text
            self.show_error(exc)
            return
        subject = self.subject

        def job(console: Console) -> tuple[Any, int]:
            if subject == "actions":
                return console.list_actions(query), console.count_actions(query)
            return console.list_clients(query), console.count_clients(query)

        self.call(job, self.show_rows, group="rows", spinner=self.query_one(PipelineTable))

    def show_rows(self, loaded: tuple[Any, int]) -> None:
        page, total = loaded
        self.rows = page.items
        table = self.query_one(PipelineTable)
        table.clear(columns=True)
        for label, width in COLUMNS[self.subject]:
            table.add_column(_(label), width=width)
        zone = self.app.zone  # type: ignore[attr-defined]
        for row in self.rows:
            cells = _action_cells(row, zone) if self.subject == "actions" else _client_cells(row)
            table.add_row(*(Text(cell) for cell in cells), height=None)  # a long cell wraps, never cut
        sort = self.shown_sort = page.sort  # the store's order: unasked, a range condition's column
        order = _("descending") if self.descending else _("ascending")
        first = self.page_start + 1 if self.rows else 0
        self.status(
            _("{first}-{last} of {total}; sorted by {sort}, {order}.").format(
                first=first, last=self.page_start + len(self.rows), total=total, sort=_(SORT_NAMES[sort]), order=order
            )
        )

    # --- keys ---------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.page_start = 0
        self.load()
        self.query_one(PipelineTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.rows):
            row = self.rows[event.cursor_row]
            self.app.open_card(row.client_id if self.subject == "actions" else row.id)  # type: ignore[attr-defined]

    def action_next_view(self) -> None:
        self.tab = (self.tab + 1) % len(self.tabs())
        self.show_tab()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space (done / open again) is an action's: not offered on the clients' list."""
        return self.subject == "actions" if action == "done" else True

    def _name_subject_key(self) -> None:
        """The key line names the list Ctrl+L goes to (one row at 80 columns: no "Actions / clients")."""
        name = _(N_("The actions") if self.subject == "clients" else N_("The clients"))
        keys = self._bindings.key_to_bindings
        for key, bindings in keys.items():
            keys[key] = [replace(b, description=name) if b.id == "pipeline.subject" else b for b in bindings]

    def action_subject(self) -> None:
        self.subject = "clients" if self.subject == "actions" else "actions"
        self._name_subject_key()
        self.tab, self.sort, self.shown_sort, self.descending = 0, None, None, False
        self.refresh_bindings()
        self.load_views()

    def action_sort(self) -> None:
        keys = SORTS[Subject(self.subject)]
        current = self.sort or self.shown_sort or DEFAULT_SORT[Subject(self.subject)]
        self.sort = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.page_start = 0
        self.load()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.page_start = 0
        self.load()

    def action_next_page(self) -> None:
        if len(self.rows) == PAGE:
            self.page_start += PAGE
            self.load()

    def action_done(self) -> None:
        table = self.query_one(PipelineTable)
        if self.subject != "actions" or not (0 <= table.cursor_row < len(self.rows)):
            return
        action = self.rows[table.cursor_row]
        self.call(
            lambda console: console.mark_action(action.id, action.done_at is None), lambda _a: self.load(), group="done"
        )

    def action_save_view(self) -> None:
        from core.work.inputs import ViewDraft
        from tui.screens.work.prompt import PromptDialog

        try:
            conditions = parse_conditions(self.query_one("#filter", Input).value)
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        subject, sort, descending = self.subject, self.sort, self.descending

        def job(console: Console, name: str) -> View:
            draft = ViewDraft(
                name=name.strip(),
                subject=subject,
                shared=False,
                conditions=conditions,
                sort=sort,
                descending=descending,
            )
            return console.save_view(draft)

        def done(view: View | None) -> None:
            if view is not None:
                self.status(_("View '{name}' saved.").format(name=view.name), "success")
                self.views.append(view)
                self.views.sort(key=lambda v: (v.name, v.id))
                self.tab = next(i for i, t in enumerate(self.tabs()) if t[2] is not None and t[2].id == view.id)
                self._draw_tabs()

        self.app.push_screen(PromptDialog(_("Name of the view"), "", job, max_length=80), done)

    def action_tag_view(self) -> None:
        from tui.screens.work.prompt import PromptDialog

        view = self.tabs()[self.tab][2]
        if self.subject != "clients" or view is None:
            self.status(_("Open a saved view of clients first (Ctrl+L, Ctrl+T)."), "error")
            return

        def job(console: Console, tag: str) -> Any:
            return console.tag_view(view.id, tag)

        def done(change: Any) -> None:
            if change is not None:
                self.status(_("#{tag} added to {n} clients.").format(tag=change.tag, n=change.changed), "success")

        self.app.push_screen(
            PromptDialog(_("Tag for every client of '{name}'").format(name=view.name), "", job, 41), done
        )

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]

    def palette_commands(self) -> list[Command]:
        return [
            (_("Next view"), self.action_next_view, _("Show the next tab")),
            (_("Save the view"), self.action_save_view, _("Save the conditions as a view")),
        ]


def _action_cells(a: Any, zone: Any) -> list[str]:
    from tui import format as fmt

    state = _("done") if a.done_at else (_("OVERDUE") if a.overdue else _("open"))
    due = a.due_at.astimezone(zone).strftime("%d.%m.%y %H:%M")
    return [due, state, _(a.type_name), fmt.short_name(a.client), fmt.short_name(a.employee) or "—"]


def _client_cells(s: Any) -> list[str]:
    from tui import format as fmt

    return [
        str(s.id),
        s.full_name,
        fmt.client_type(s.client_type),
        fmt.label(fmt.LIFECYCLES, s.lifecycle),
        s.desk or "—",
    ]
