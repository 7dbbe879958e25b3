"""Region -> town choice (reference data loaded in workers and kept for the session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select

from tui.calls import ConsoleCalls
from tui.i18n import _

if TYPE_CHECKING:
    from core.clients.models import Region, Town
    from core.port import Console


class RegionTown(ConsoleCalls, Vertical):
    DEFAULT_CSS = """
    RegionTown { height: auto; }
    """

    def __init__(self, region_id: int | None = None, town_id: int | None = None, *, inline: bool = False) -> None:
        super().__init__(id="region-town")
        self._initial = (region_id, town_id)
        self.inline = inline
        self.regions: list[Region] = []
        self.towns: list[Town] = []

    def compose(self) -> ComposeResult:
        region = Select[int]([], id="region", prompt=_("Choose the region"), compact=True)
        town = Select[int]([], id="town", prompt=_("Choose the town"), compact=True)
        if self.inline:  # one row of a two-column form
            with Horizontal(classes="form-row"):
                with Horizontal(classes="pair"):
                    yield Label(_("Region"), classes="form-label")
                    yield region
                with Horizontal(classes="pair"):
                    yield Label(_("Town"), classes="form-label")
                    yield town
            return
        with Horizontal(classes="form-row"):
            yield Label(_("Region"), classes="form-label")
            yield region
        with Horizontal(classes="form-row"):
            yield Label(_("Town"), classes="form-label")
            yield town

    def on_mount(self) -> None:
        cache = self.app.cache  # type: ignore[attr-defined]
        if "regions" in cache:
            self._got_regions(cache["regions"])
        else:
            self.call(lambda console: console.regions(), self._got_regions, group="regions")

    def _got_regions(self, regions: list[Region]) -> None:
        self.app.cache["regions"] = regions  # type: ignore[attr-defined]
        self.regions = regions
        select = self.query_one("#region", Select)
        select.set_options([(r.name, r.id) for r in regions])
        region_id = self._initial[0]
        if region_id is not None and any(r.id == region_id for r in regions):
            select.value = region_id

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "region":
            return
        event.stop()
        town = self.query_one("#town", Select)
        town.set_options([])
        self.towns = []
        if event.value is Select.NULL:
            return
        region_id = int(event.value)  # type: ignore[arg-type]
        cache = self.app.cache  # type: ignore[attr-defined]
        key = f"towns:{region_id}"
        if key in cache:
            self._got_towns(region_id, cache[key])
            return

        def job(console: Console) -> list[Town]:
            return console.towns(region_id)

        self.call(job, lambda towns: self._got_towns(region_id, towns), group="towns")

    def _got_towns(self, region_id: int, towns: list[Town]) -> None:
        self.app.cache[f"towns:{region_id}"] = towns  # type: ignore[attr-defined]
        self.towns = towns
        select = self.query_one("#town", Select)
        select.set_options([(t.name, t.id) for t in towns])
        initial_region, initial_town = self._initial
        if region_id == initial_region and initial_town is not None and any(t.id == initial_town for t in towns):
            select.value = initial_town
        self._initial = (None, None)  # the initial town applies once

    @property
    def region_id(self) -> int | None:
        value = self.query_one("#region", Select).value
        return None if value is Select.NULL else int(value)  # type: ignore[arg-type]

    @property
    def town_id(self) -> int | None:
        value = self.query_one("#town", Select).value
        return None if value is Select.NULL else int(value)  # type: ignore[arg-type]

    def region_name(self) -> str:
        return next((r.name for r in self.regions if r.id == self.region_id), "")

    def town_name(self) -> str:
        return next((t.name for t in self.towns if t.id == self.town_id), "")
