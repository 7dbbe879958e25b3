"""M9 import: the file (a path with completion), each column's field (guessed from the headers in
Russian and English, Enter changes it), a preview of the first rows as the cards would hold them
with each row's problem, duplicates (flag / merge / skip) and an optional campaign; Ctrl+S imports
with a progress bar, then the bad rows are listed with their line and reason. An unfinished import
of mine is offered on opening: the same file with the same choices goes on where it stopped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static

from core.errors import Conflict, CrmError, ValidationFailed
from core.imports.inputs import MAX_FILE_BYTES, ImportOptions
from core.imports.models import DuplicatePolicy, EarlierImport, ImportPreview, ImportReport, UnfinishedImport
from tui import format as fmt
from tui.dialogs.confirm import ConfirmDialog
from tui.errors import row_reason, translate_message
from tui.i18n import N_, _
from tui.screens.base import CrmScreen
from tui.screens.imports.fields import FieldDialog, field_label
from tui.screens.imports.files import PathSuggester
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

DUPLICATES = (
    (DuplicatePolicy.FLAG.value, N_("flag as possible duplicates")),
    (DuplicatePolicy.MERGE.value, N_("merge into the existing card")),
    (DuplicatePolicy.SKIP.value, N_("skip")),
)
PREVIEW_ROWS = 5
SHOWN = ("surname", "first_name", "phone", "patronymic", "birth_date")


def read_file(path: str) -> bytes:
    file = Path(path).expanduser()
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ValidationFailed("The file is larger than 50 MB.", field="file")
        return file.read_bytes()
    except OSError as exc:
        raise ValidationFailed(
            _("The file cannot be read: {reason}").format(reason=exc.strerror), field="file"
        ) from None


class ImportScreen(CrmScreen):
    PLACE = N_("Import")
    CRM_HELP = N_(
        "Type the file's path (Right takes the completion) and press Enter. Enter on a column "
        "changes its field. Choose what duplicates become and a campaign; Ctrl+S imports."
    )
    BINDINGS = [
        Binding("ctrl+s", "run", N_("Import"), id="import.run", priority=True),
        Binding("escape", "back", N_("Back"), id="import.back"),
    ]
    FIELDS = {"file": "file", "campaign": "campaign", "mapping": "mapping"}
    DEFAULT_CSS = """
    ImportScreen #file-row, ImportScreen #choices { height: 1; }
    ImportScreen #file-row Label, ImportScreen #choices Label { width: auto; padding: 0 1 0 0; }
    ImportScreen #file { width: 1fr; }
    ImportScreen #mapping { height: 6; }
    ImportScreen #preview { height: 1fr; }
    ImportScreen #progress { height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.content: bytes | None = None
        self.filename = ""
        self.mapping: dict[str, str] | None = None
        self.base = ImportOptions()
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.unfinished: list[UnfinishedImport] = []
        self.running = False

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Import clients from a CSV or XLSX file"), classes="dialog-title", markup=False)
        with Horizontal(id="file-row"):
            yield Label(_("File"))
            yield Input("", id="file", compact=True, suggester=PathSuggester(), placeholder=_("path to .csv or .xlsx"))
        with Horizontal(id="choices"):
            yield Label(_("Duplicates"))
            yield Select(
                [(_(t), c) for c, t in DUPLICATES], value="flag", id="duplicates", allow_blank=False, compact=True
            )
            yield Label(_("Campaign"))
            yield Select([], id="campaign", compact=True, prompt=_("none"))
        yield DataTable(id="mapping", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="preview", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(id="progress", show_eta=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#mapping", DataTable).add_columns(_("Column"), _("Field"))
        self.query_one("#progress", ProgressBar).display = False  # until an import runs
        self.query_one("#file", Input).focus()
        self.call(_opening, self._opened, group="import-open")

    def _opened(self, found: tuple[list[UnfinishedImport], list[tuple[str, str]]]) -> None:
        self.unfinished, campaigns = found
        self.query_one("#campaign", Select).set_options(campaigns)
        if self.unfinished:
            last = self.unfinished[0]
            self.query_one("#file", Input).value = last.filename
            self.base = ImportOptions.model_validate(last.options)
            self.mapping = self.base.mapping
            self.query_one("#duplicates", Select).value = self.base.duplicates.value
            if self.base.campaign and any(c == self.base.campaign for _n, c in campaigns):
                self.query_one("#campaign", Select).value = self.base.campaign
            text = _("An unfinished import of {file} stopped after line {line}: Enter loads it, Ctrl+S goes on.")
            self.status(text.format(file=last.filename, line=last.lines_done))

    # --- the file and its preview ------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "file":
            event.stop()
            path = event.value.strip()
            if not path:
                self.status(_("Type the file's path."), "error")
                return
            resumed = bool(self.unfinished) and path == self.unfinished[0].filename
            if not resumed and path != self.filename:
                self.mapping = None  # a new file: the columns are guessed again
            self._load(path)

    def _options(self) -> ImportOptions:
        duplicates = str(self.query_one("#duplicates", Select).value)
        campaign = self.query_one("#campaign", Select).value
        return self.base.model_copy(
            update={
                "mapping": self.mapping,
                "duplicates": DuplicatePolicy(duplicates),
                "campaign": campaign if isinstance(campaign, str) else None,
            }
        )

    def _load(self, path: str) -> None:
        options = self._options()

        def job(console: Any) -> tuple[bytes, ImportPreview]:
            content = read_file(path)
            return content, console.import_preview(content, path[-200:], options, PREVIEW_ROWS)

        self.call(job, lambda found: self._previewed(path, *found), group="import-preview")

    def _previewed(self, path: str, content: bytes, preview: ImportPreview) -> None:
        self.content, self.filename, self.preview = content, path, preview
        self.mapping = dict(preview.mapping)
        table = self.query_one("#mapping", DataTable)
        table.clear()
        for column in preview.columns:
            table.add_row(column, field_label(self.mapping.get(column)), key=column)
        rows = self.query_one("#preview", DataTable)
        rows.clear(columns=True)
        rows.add_columns(_("Line"), _("Problem"), *[field_label(f) for f in SHOWN])
        for row in preview.rows:
            values = [row.values.get(f, "") for f in SHOWN]
            rows.add_row(str(row.line), row_reason(row.problem or ""), *values)
        self.status(translate_message(preview.problem) if preview.problem else _("Check the fields and the rows; Ctrl+S imports."),
                    "error" if preview.problem else "info")  # fmt: skip
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id != "mapping" or self.preview is None or self.running:
            return
        column = str(event.row_key.value)

        def chosen(field: str | None) -> None:
            if field is None or self.mapping is None:
                return
            if field:
                self.mapping[column] = field
            else:
                self.mapping.pop(column, None)
            self._load(self.filename)

        self.app.push_screen(FieldDialog(column, (self.mapping or {}).get(column)), chosen)

    # --- the import ----------------------------------------------------------------------

    def action_run(self) -> None:
        if self.running:
            return
        if self.content is None or self.preview is None:
            self.status(_("Load a file first: type its path and press Enter."), "error")
            return
        if self.preview.problem:
            self.status(translate_message(self.preview.problem), "error")
            return
        options = self._options()
        mapped = ", ".join(f"{c} -> {field_label(f)}" for c, f in (options.mapping or {}).items())
        lines = [
            _("File") + f": {Path(self.filename).name}",
            _("Columns") + f": {mapped}",
            _("Duplicates") + ": " + _(dict(DUPLICATES)[options.duplicates.value]),
            _("Campaign") + f": {options.campaign or '-'}",
        ]

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(options)

        self.app.push_screen(ConfirmDialog(_("Import these clients?"), "\n".join(lines), yes=_("Import")), answered)

    def _start(self, options: ImportOptions, again: bool = False) -> None:
        content, filename = self.content, self.filename
        assert content is not None
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(1, content.count(b"\n")) if filename.lower().endswith((".csv", ".txt")) else None,
                   progress=0)  # fmt: skip
        bar.display = True
        self.running = True
        self.status(_("Importing…"))

        def job(console: Any) -> ImportReport:
            def progress(line: int) -> None:
                self.app.call_from_thread(bar.update, progress=line)

            return console.import_clients(content, filename[-200:], options, progress, again=again)

        self.call(job, self._done, group="import-run", failed=lambda exc: self._failed(exc, options))

    def _failed(self, exc: BaseException, options: ImportOptions) -> None:
        from tui.errors import error_text

        self.running = False
        if isinstance(exc, Conflict) and isinstance(exc.current, EarlierImport):  # nothing was written
            self.query_one("#progress", ProgressBar).display = False
            self.status("")
            self._ask_again(exc.current, options)
            return
        self.status(error_text(exc), "error")

    def _ask_again(self, earlier: EarlierImport, options: ImportOptions) -> None:
        """The same file was imported before: its import again only when confirmed."""
        text = _("This file was imported on {date} by {who}: {clients} clients.").format(
            date=fmt.moment(earlier.at, self.app.zone),  # type: ignore[attr-defined]
            who=earlier.employee or _("the command line"),
            clients=earlier.clients,
        )
        note = _("Importing it again makes every row a new card or a duplicate, as chosen.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._start(options, again=True)
            else:
                self.status(_("Not imported again."))

        self.app.push_screen(
            ConfirmDialog(_("Import this file again?"), text + "\n" + note, yes=_("Import again")), answered
        )

    def _done(self, report: ImportReport) -> None:
        self.running, self.report, self.unfinished = False, report, []
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(1, report.lines_done), progress=report.lines_done)
        rows = self.query_one("#preview", DataTable)
        rows.clear(columns=True)
        rows.add_columns(_("Line"), _("Why the row was not imported"))
        for bad in report.problems:
            rows.add_row(str(bad.line), row_reason(bad.reason))
        text = _("Imported: {created} new, {merged} merged, {flagged} flagged, {skipped} skipped, {bad} bad rows.")
        self.status(text.format(created=report.created, merged=report.merged, flagged=report.flagged,
                                skipped=report.skipped, bad=report.bad))  # fmt: skip
        rows.focus()

    def action_back(self) -> None:
        if self.running:
            self.status(_("The import goes on; wait for its report."), "error")
            return
        self.app.pop_screen()


def _opening(console: Any) -> tuple[list[UnfinishedImport], list[tuple[str, str]]]:
    """My unfinished imports and the campaigns the clients may join (none without the permission)."""
    try:
        campaigns = [(f"{c.code} {c.name}", c.code) for c in console.list_campaigns() if c.active]
    except CrmError:
        campaigns = []
    return console.unfinished_imports(), campaigns
