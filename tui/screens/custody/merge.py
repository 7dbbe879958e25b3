"""F3: two cards side by side, field by field; Space picks, on a row that differs, whose value the
survivor keeps; Ctrl+S merges after a confirmation that lists what changes. Every phone, e-mail,
history entry, product, transaction and link of the merged card moves to the survivor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from core.vocab import CLIENT_TYPE_LABELS, ClientType
from tui import format as fmt
from tui.bindings import localize_bindings
from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen, key_display
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.custody.models import CardComparison, FieldComparison, MergeResult
    from core.port import Console

FIELD_LABELS = {
    "surname": N_("Surname"),
    "first_name": N_("First name"),
    "patronymic": N_("Patronymic"),
    "birth_date": N_("Birth date"),
    "client_type": N_("Client type"),
    "lifecycle": N_("Lifecycle"),
    "place": N_("Region, town"),
    "passport": N_("Passport"),
    "language": N_("Language"),
    "do_not_disturb": N_("Do not disturb"),
    "referrer": N_("Recommended by"),
}
ROW_LABELS = {
    "phones": N_("phones"),
    "emails": N_("e-mails"),
    "history": N_("history"),
    "products": N_("products"),
    "transactions": N_("card ops"),
    "changes": N_("changes"),
    "campaigns": N_("lists"),
    "bookings": N_("visits"),
    "sms": N_("SMS"),
    "linked": N_("linked"),
}


class FieldsTable(DataTable[str]):
    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


def shown(field: str, value: str | None) -> str:
    if value is None:
        return "-"
    if field == "client_type" and value in {t.value for t in ClientType}:
        return _(CLIENT_TYPE_LABELS[ClientType(value)])
    if field == "birth_date" and len(value) == 10:
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    if field == "lifecycle":
        return fmt.label(fmt.LIFECYCLES, value)
    if field == "do_not_disturb":
        return _("yes") if value == "yes" else _("no")
    if field == "referrer" and value == "(another desk)":
        return _("(another desk)")
    return value


class MergeScreen(CrmScreen):
    PLACE = N_("Merging two cards")
    CRM_HELP = N_(
        "Two cards side by side: the left one survives, the right one merges into it. Rows marked * "
        "differ: Space (or Enter) picks whose value the survivor keeps. w swaps the cards. Ctrl+S "
        "merges after you confirm: every phone, e-mail, history entry, product, transaction, list, "
        "visit, SMS and link moves to the survivor, and the merged card's id then opens it."
    )
    FIELD_HELP = {"fields": N_("Arrows move; Space or Enter picks whose value stays on a row marked *.")}
    BINDINGS = [
        Binding("space,enter", "toggle", N_("Keep this value"), id="merge.toggle"),
        Binding("w", "swap", N_("Swap the cards"), id="merge.swap"),
        Binding("ctrl+s", "merge", N_("Merge"), id="merge.save", priority=True),
        Binding("escape", "back", N_("Back"), id="merge.back"),
    ]
    DEFAULT_CSS = """
    MergeScreen #merge-title { padding: 0 1; text-style: bold; height: 2; }
    MergeScreen #fields { height: auto; max-height: 14; }
    MergeScreen #merge-rows { padding: 0 1; height: auto; }
    """

    def __init__(self, survivor_id: int, merged_id: int) -> None:
        super().__init__()
        self.survivor_id = survivor_id
        self.merged_id = merged_id
        self.comparison: CardComparison | None = None
        self.keep: dict[str, str] = {}  # field -> "merged" where the merged card's value is kept

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("office")
        yield Static("", id="merge-title", markup=False)
        yield FieldsTable(id="fields")
        yield Static("", id="merge-rows", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#fields").focus()
        self.load()

    def load(self) -> None:
        survivor, merged = self.survivor_id, self.merged_id

        def job(console: Console) -> CardComparison:
            return console.compare_cards(survivor, merged)

        self.call(job, self.show, group="compare", spinner=self.query_one("#fields"))

    def show(self, comparison: CardComparison) -> None:
        self.comparison = comparison
        title = _("Card {survivor} ({s_desk}) stays; card {merged} ({m_desk}) merges into it").format(
            survivor=comparison.survivor_id,
            s_desk=comparison.survivor_desk or "-",
            merged=comparison.merged_id,
            m_desk=comparison.merged_desk or "-",
        )
        self.query_one("#merge-title", Static).update(title)
        self._fill()
        brings = ", ".join(
            f"{_(ROW_LABELS[k])} {n}" for k, n in comparison.merged_rows.items() if n and k in ROW_LABELS
        )
        self.query_one("#merge-rows", Static).update(_("It brings: {rows}").format(rows=brings or "-"))
        differing = sum(f.differs for f in comparison.fields)
        self.status(_("Rows marked * differ: Space picks whose value stays.") if differing else "")

    def _fill(self) -> None:
        assert self.comparison is not None
        table = self.query_one("#fields", FieldsTable)
        row = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        table.add_column(_("Field"), width=17, key="field")
        table.add_column(_("Card {id}").format(id=self.comparison.survivor_id), width=25, key="survivor")
        table.add_column(_("Card {id}").format(id=self.comparison.merged_id), width=25, key="merged")
        for f in self.comparison.fields:
            table.add_row(*self._cells(f), key=f.field, height=None)  # a long place wraps, nothing is cut
        table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def _cells(self, f: FieldComparison) -> tuple[str, str, str]:
        label = ("* " if f.differs else "  ") + _(FIELD_LABELS[f.field])
        theirs = self.keep.get(f.field) == "merged"
        left, right = shown(f.field, f.survivor), shown(f.field, f.merged)
        if f.differs:
            left, right = ("  " if theirs else "> ") + left, ("> " if theirs else "  ") + right
        return label, left, right

    def action_toggle(self) -> None:
        table = self.query_one("#fields", FieldsTable)
        if self.comparison is None or not table.row_count:
            return
        f = self.comparison.fields[table.cursor_row]
        if not f.differs:
            self.status(_("Both cards hold the same value here."))
            return
        if self.keep.pop(f.field, None) is None:
            self.keep[f.field] = "merged"
        self._fill()

    def action_swap(self) -> None:
        self.survivor_id, self.merged_id = self.merged_id, self.survivor_id
        self.keep = {}
        self.load()

    def action_merge(self) -> None:
        if self.comparison is None:
            return
        from tui.dialogs.confirm import ConfirmDialog

        c = self.comparison
        taken = ", ".join(_(FIELD_LABELS[f]) for f in self.keep) or _("none")
        question = _("Merge card {merged} into card {survivor}?").format(merged=c.merged_id, survivor=c.survivor_id)
        details = _(
            "Values taken from card {merged}: {fields}. Every phone, e-mail, history entry, product, "
            "transaction and link moves to card {survivor}; card {merged} then opens it."
        ).format(merged=c.merged_id, survivor=c.survivor_id, fields=taken)
        self.app.push_screen(ConfirmDialog(question, details, yes=_("Merge")), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        from core.custody.inputs import MergeRequest

        request = MergeRequest(merged_id=self.merged_id, keep=dict(self.keep))  # type: ignore[arg-type]
        survivor = self.survivor_id

        def job(console: Console) -> MergeResult:
            return console.merge_clients(survivor, request)

        self.status(_("Merging…"))
        self.call(job, self.merged, group="merge", spinner=self.query_one("#fields"))

    def merged(self, result: MergeResult) -> None:
        self.app.pop_screen()
        screen = self.app.open_card(result.card.id)  # type: ignore[attr-defined]
        done = _("Card {merged} merged into this one.").format(merged=result.merged_id)
        screen.call_after_refresh(screen.status, done, "success")  # once the card screen is mounted

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[Command]:
        return [
            (_("Merge"), self.action_merge, _("Key {key}").format(key=key_display(self, "merge.save"))),
            (_("Swap the cards"), self.action_swap, _("Key {key}").format(key=key_display(self, "merge.swap"))),
        ]
