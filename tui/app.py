"""The operator console App.

Start-up: the sign-in screen shows first; the store (SQLAlchemy/SQLModel, ~0.4 s of imports) or
the remote client is opened in a thread worker while the operator types the login. Places
(Office/search, Calls, New client, Supervisor) are Textual modes added after sign-in, each one
key away. Every Console call runs in a worker (see tui.calls).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from core.clock import Clock, SystemClock
from core.errors import StoreUnavailable
from core.settings import Settings
from tui import callback_counts, dispatch_cache
from tui.bindings import localize_bindings
from tui.commands import CrmCommands, CrmPalette, placeholder
from tui.i18n import N_, _, pick_language, set_language
from tui.plain import ASCII_KEYS, AsciiFilter, plain_terminal
from tui.store_files import local_codes_readable, warn_loose_files
from tui.stylesheet import CssParsedAhead, OnceParsedStylesheet
from tui.theme_variables import css_variables
from tui.typeahead import TypeAhead
from tui.warmup import warm_screens, yielding_gil

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.port import Console
    from tui.screens.card import CardScreen

ConsoleFactory = Callable[[], "Console"]
PLACE_SCREENS = {
    "office": ("tui.screens.search", "SearchScreen"),
    "calls": ("tui.screens.calls", "CallsScreen"),
    "new_client": ("tui.screens.new_client", "NewClientScreen"),
    "supervisor": ("tui.screens.floor.screen", "FloorScreen"),  # the live floor; A: Administration
    "reports": ("tui.screens.reports", "ReportsScreen"),  # with the reports permission only
    "pipeline": ("tui.screens.work.pipeline", "PipelineScreen"),
    "tasks": ("tui.screens.tasks", "TasksScreen"),  # T in My work, and the palette
    "my_work": ("tui.screens.mywork", "MyWorkScreen"),
}


def open_store(settings: Settings) -> Console:
    """The Console for the settings: the remote API when a server is set, else the local database."""
    if settings.server:
        try:
            from storage.remote import RemoteConsole
        except ImportError as exc:
            raise StoreUnavailable(
                _("Cannot connect to {server}: the remote client is not installed ({error}).").format(
                    server=settings.server, error=exc
                )
            ) from None
        return RemoteConsole(settings.server)
    from storage.local import open_console, start_worker_thread

    console = open_console(settings.database, phone_region=settings.phone_region, timezone=settings.timezone)
    if settings.worker:
        console.worker_thread = start_worker_thread(console.repo)  # type: ignore[attr-defined] - a daemon thread
    return console


def sign_in_screen() -> Screen:
    from tui.screens.sign_in import SignInScreen

    return SignInScreen()


class CrmApp(TypeAhead):
    CSS_PATH = "app.tcss"
    MODES = {"sign_in": sign_in_screen}  # the places are added after sign-in (signed_in)
    DEFAULT_MODE = "sign_in"
    TITLE = "CRM console"
    COMMANDS = {CrmCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("ctrl+p", "command_palette", N_("Commands"), id="app.palette", priority=True, show=False),
        Binding("f2", "new_search", N_("Office: search"), id="nav.office", show=False),
        Binding("f3", "go('calls')", N_("Calls"), id="nav.calls", show=False),
        Binding("f4", "go('new_client')", N_("New client"), id="nav.new_client", show=False),
        Binding("f5", "go('supervisor')", N_("Supervisor"), id="nav.supervisor", show=False),
        Binding("f9", "go('reports')", N_("Reports"), id="nav.reports", show=False),
        Binding("f8", "deposits", N_("Deposits and withdrawals"), id="nav.deposits", show=False),
        Binding("f7", "go('pipeline')", N_("Pipeline"), id="nav.pipeline", show=False),
        Binding("f6", "go('my_work')", N_("My work"), id="nav.my_work", show=False),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True, show=False),
        # Priority, so that the focus moves as the key arrives: the keys typed right after it (no
        # pause, e.g. the password after the login) go to the next field, not the one left.
        Binding("tab", "focus_next", N_("Next field"), id="app.next_field", priority=True, show=False, system=True),
        Binding(
            "shift+tab",
            "focus_previous",
            N_("Previous field"),
            id="app.previous_field",
            priority=True,
            show=False,
            system=True,  # not listed in F1: moving between fields is known
        ),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        console_factory: ConsoleFactory | None = None,
        clock: Clock | None = None,
        plain: bool | None = None,
        employee: EmployeeInfo | None = None,
    ) -> None:
        """`employee`: the console given by `console_factory` is signed in already (tests, benches);
        the app opens on the Office, and the sign-in screen is made only when they sign out."""
        callback_counts.install()  # Textual's callbacks counted once per function
        dispatch_cache.install()  # and its message handlers looked up once per class
        self.settings = settings or Settings()
        set_language(pick_language(self.settings.lang))
        if employee is not None:  # signed in already: opens on the Office, no sign-in screen made
            self.DEFAULT_MODE = "office"
        super().__init__()
        self.plain = plain_terminal() if plain is None else plain
        if self.plain:  # before the first parse of the CSS: a theme set at mount styled it all twice
            self.theme = "ansi-dark"
        self.stylesheet = OnceParsedStylesheet(variables=self.get_css_variables())  # tui.stylesheet
        localize_bindings(self)
        if self.settings.keymap:  # before the first screen is composed (its key lines show the keys)
            self.set_keymap(self.settings.keymap)
        self.clock: Clock = clock or SystemClock()
        try:
            self.zone = ZoneInfo(self.settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = ZoneInfo("UTC")
        self._factory: ConsoleFactory = console_factory or (lambda: open_store(self.settings))
        self._local_files = console_factory is None and not self.settings.server  # file modes to check
        self._console: Future[Console] = Future()
        self._store_started = False
        self.employee: EmployeeInfo | None = None
        self._up = False  # mounted: a place's screen made now is styled by the current sheet
        if employee is not None:
            self._enter_places(employee)
        self._ascii = AsciiFilter(enabled=self.plain)
        self._filters.append(self._ascii)
        self.cache: dict[str, object] = {}  # reference data: regions, towns, SMS templates
        self._card_screens: list[CardScreen] = []

    # --- start-up and the store --------------------------------------------------------

    def on_mount(self) -> None:
        self._up = True
        if self.employee is not None:  # the Office, styled as the app started: no restyle on coming back
            self.screen._css_update_count = self._css_update_count  # private: see _styled
        self.call_after_refresh(self.open_store)

    def open_store(self) -> None:
        """Open (or retry opening) the store in a thread while the sign-in screen waits for input."""
        if self._store_started and not (self._console.done() and self._console.exception()):
            return
        if self._console.done():
            self._console = Future()
        self._store_started = True
        future = self._console

        def load() -> None:
            try:
                future.set_result(self._factory())
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the store
                future.set_exception(exc)
                self.call_from_thread(self._store_failed_now, exc)  # said before the login is typed
                return
            if self._local_files:
                warn_loose_files(self)
            warm_screens(self, [*(module for module, _name in PLACE_SCREENS.values()), "tui.screens.card"])

        def load_yielding() -> None:
            with yielding_gil():
                load()

        self.run_worker(load_yielding, thread=True, group="store", exclusive=True, exit_on_error=False)

    def on_css_parsed_ahead(self, message: CssParsedAhead) -> None:
        if isinstance(sheet := self.stylesheet, OnceParsedStylesheet):
            sheet.adopt(message.parsed, message.variables)

    def _store_failed_now(self, exc: BaseException) -> None:
        from tui.errors import error_text

        status = getattr(self.screen, "status", None)
        if callable(status) and self.employee is None:
            status(error_text(exc), "error")

    def local_codes_readable(self) -> bool:
        return local_codes_readable(self.settings)

    def get_console(self) -> Console:
        """The Console; called from worker threads (blocks until the store is open)."""
        return self._console.result()

    @property
    def store_failed(self) -> BaseException | None:
        return self._console.exception() if self._console.done() else None

    # --- signing in and out ------------------------------------------------------------

    def signed_in(self, employee: EmployeeInfo) -> None:
        self._enter_places(employee)
        self.switch_mode("office")

    def _enter_places(self, employee: EmployeeInfo) -> None:
        """The employee signed in, and the places they may enter added as modes."""
        from tui.widgets.header import may_enter

        self.employee = employee
        for place, (module, name) in PLACE_SCREENS.items():
            if place not in self._modes and may_enter(employee, place):
                screen_class = getattr(__import__(module, fromlist=[name]), name)
                self.add_mode(place, self._styled(screen_class))

    def _styled(self, screen_class: type[Screen]) -> Callable[[], Screen]:
        """A place's screen marked as styled by the current stylesheet. Textual marks a new screen
        stale (-1), which makes the mode switch re-parse every CSS source twice (~60-90 ms at the
        first Office after sign-in); a new screen's widgets get their styles as they mount anyway,
        and a theme change later still restyles it (the app's count moves on)."""

        def make() -> Screen:
            screen = screen_class()
            if self._up:  # the first screen of an app signed in at start is styled as the app starts
                screen._css_update_count = self._css_update_count  # private: see the docstring
            return screen

        return make

    async def sign_out(self) -> None:
        from tui.screens.sign_in import SignInScreen

        self.employee = None
        await self.switch_mode("sign_in")
        for place in PLACE_SCREENS:
            if place in self._modes:
                await self.remove_mode(place)
        for index, screen in enumerate(self._card_screens, 1):
            screen.in_stack = False
            self.uninstall_screen(f"card-{index}")
        self._card_screens.clear()
        self.cache.clear()
        sign_in = self.screen
        if isinstance(sign_in, SignInScreen):
            sign_in.restart()

    def action_sign_out(self) -> None:
        def job(console: Console) -> None:
            console.sign_out()

        self.run_worker(lambda: job(self.get_console()), thread=True, group="sign_out", exit_on_error=False)
        self.run_worker(self.sign_out(), group="sign_out_ui")

    # --- the card ----------------------------------------------------------------------

    def open_card(self, client_id: int) -> CardScreen:
        """Show a client's card. Card screens are composed once and reused (installed screens stay
        alive when popped): composing the tabs and tables costs far more than filling them."""
        from tui.screens.card import CardScreen

        screen = next((s for s in self._card_screens if not s.in_stack), None)
        if screen is None:
            screen = CardScreen()
            self.install_screen(screen, name=f"card-{len(self._card_screens) + 1}")
            self._card_screens.append(screen)
        screen.show_client(client_id)
        self.push_screen(screen)
        return screen

    # --- navigation, help, palette -----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go" and parameters and parameters[0] == "reports":
            from tui.widgets.header import may_enter

            return self.employee is not None and may_enter(self.employee, "reports")
        if action in ("go", "sign_out", "new_search"):
            return self.employee is not None
        return True

    def action_deposits(self) -> None:
        """M3: the money-request queue (tui.screens.trading.deposits)."""
        from tui.screens.trading.deposits import open_queue

        open_queue(self)

    def action_campaigns(self) -> None:
        from tui.screens.campaigns import open_campaigns

        open_campaigns(self)

    def action_import_clients(self) -> None:
        from tui.screens.imports import open_import

        open_import(self)

    def action_go(self, place: str) -> None:
        from tui.widgets.header import PLACES, closed_place, may_enter

        if self.employee is not None and place in self._modes and self.current_mode != place:
            self.switch_mode(place)
        elif self.employee is not None and not may_enter(self.employee, place):
            closed_place(self, place, next(b for p, b, _n in PLACES if p == place))

    async def action_quit(self) -> None:
        from tui.session_end import sign_out_and_quit

        await sign_out_and_quit(self)

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a field): say which key does, in the operator's language."""
        self.notify(
            _("Press {key} to quit the console.").format(key=self.key_display("app.quit")),
            title=_("Do you want to quit?"),
            markup=False,
        )

    def action_new_search(self) -> None:
        """F2 (and `/` on the card and the call lists): from any place, a new search; the card
        screens over the search are closed (nothing unsaved lives on them)."""
        from textual.screen import ModalScreen

        from tui.screens.card import CardScreen

        if self.employee is None or isinstance(self.screen, ModalScreen):
            return
        if self.current_mode != "office":
            self.switch_mode("office")
        while isinstance(self.screen, CardScreen):
            self.screen.in_stack = False
            self.pop_screen()
        search = self.screen
        new_search = getattr(search, "new_search", None)
        if callable(new_search):
            search._from_card = False  # type: ignore[attr-defined]
            self.call_after_refresh(new_search)

    def action_help(self) -> None:
        from tui.dialogs.help import HelpDialog

        if isinstance(self.screen, HelpDialog):
            return
        self.push_screen(HelpDialog.for_screen(self.screen))

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CrmPalette(id="--command-palette", placeholder=placeholder()))

    def action_toggle_plain(self) -> None:
        self.plain = not self.plain
        self._ascii.enabled = self.plain
        self.theme = "ansi-dark" if self.plain else "textual-dark"
        self.refresh(layout=True)

    def get_css_variables(self) -> dict[str, str]:
        return css_variables(self)  # the theme's colours generated once per theme (tui.theme_variables)

    def get_key_display(self, binding: Binding) -> str:
        """Keys as printed on keyboards: F1, Esc, Enter, ^S."""
        text = super().get_key_display(binding)
        if len(text) <= 3 and text[:1] == "f" and text[1:].isdigit():
            return text.upper()
        return ASCII_KEYS.get(text, text)

    def key_display(self, binding_id: str) -> str:
        """The key of a binding as the operator sees it, after the user keymap."""
        for _key, binding in self._bindings:
            if binding.id == binding_id:
                key = self._keymap.get(binding_id, binding.key).split(",")[0]
                return self.get_key_display(binding.with_key(key=key, key_display=None))
        return "?"

    def action_automation(self) -> None:
        from tui.screens.automation.rules import AutomationScreen

        if self.employee is not None and not isinstance(self.screen, AutomationScreen):
            self.push_screen(AutomationScreen())

    def palette_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from tui.commands import app_commands

        return app_commands(self)


def run(settings: Settings) -> None:
    """Entry point for `crm`: the full-screen console; it ends when its terminal hangs up."""
    from tui.hangup import watch_terminal

    watch_terminal()
    CrmApp(settings).run()
