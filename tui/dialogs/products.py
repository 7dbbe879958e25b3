"""O4: offered products — a category (credit, deposit, commission, credit doctor, internal project,
SME), then its products; several may be chosen, across categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from core.vocab import ProductCategory
from tui import format as fmt
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine
from tui.widgets.ticks import TickList

if TYPE_CHECKING:
    from core.offices.models import ProductOption
    from tui.call_session import CallSession


class ProductsDialog(CrmDialog["list[int] | None"]):
    """Answers the chosen product ids (in the order chosen), or None."""

    PLACE = N_("Offered products")
    CRM_HELP = N_(
        "Left: the categories; right: the products of the highlighted category. Space or Enter ticks "
        "a product; ticks in other categories stay. It opens on the campaign's own product, marked "
        "with ★ like the campaign's other products. Ctrl+S: done."
    )
    BINDINGS = [Binding("ctrl+s", "done", N_("Done"), id="products.done", priority=True)]
    DEFAULT_CSS = """
    ProductsDialog #products-box { height: 20; }
    ProductsDialog #products-body { height: 1fr; }
    ProductsDialog #categories { width: 24; height: 1fr; margin-right: 1; }
    ProductsDialog #product-list { width: 1fr; height: 1fr; }
    ProductsDialog #products-chosen { height: auto; margin-top: 1; }
    """

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session
        self.chosen: list[int] = list(session.products)
        self.category: str | None = None
        self.campaign_products = list(session.script.products if session.script else ())  # its own first
        self.suggested = set(self.campaign_products)

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="products-box"):
            yield Static(_("Offered products"), classes="dialog-title", markup=False)
            with Horizontal(id="products-body"):
                yield OptionList(id="categories", compact=True)
                yield TickList(id="product-list", compact=True)
            yield Static("", id="products-chosen", markup=False)
            yield Static(
                _("Tab: categories ↔ products · Space: tick · Ctrl+S: done · Esc: back"),
                classes="dialog-hint",
                markup=False,
            )
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        if self.session.catalogue:
            self._got(self.session.catalogue)
        else:
            self.call(lambda console: console.products(), self._got, group="products")

    def _got(self, products: list[ProductOption]) -> None:
        self.session.catalogue = products
        self.app.cache["products"] = products  # type: ignore[attr-defined]
        order = [c.value for c in ProductCategory]
        present = sorted({p.category for p in products}, key=lambda c: order.index(c) if c in order else len(order))
        categories = self.query_one("#categories", OptionList)
        categories.set_options([Option(fmt.product_category(c), id=c) for c in present])
        by_code = {p.code: p for p in products}
        own = next((by_code[c] for c in self.campaign_products if c in by_code), None)
        first = own.category if own is not None else (present[0] if present else None)  # the campaign's product
        if first is not None:
            categories.highlighted = present.index(first)
            self.show_category(first)
        self.query_one("#product-list").focus()
        self._summary()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "categories":
            event.stop()
            if event.option.id and event.option.id != self.category:
                self.show_category(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "categories":
            event.stop()
            self.query_one("#product-list").focus()

    def show_category(self, category: str) -> None:
        self.category = category
        listing = self.query_one("#product-list", SelectionList)
        items = [p for p in self.session.catalogue if p.category == category]
        rank = {code: n for n, code in enumerate(self.campaign_products)}
        items.sort(key=lambda p: rank.get(p.code, len(rank)))  # this campaign's products first, in its order
        listing.clear_options()
        listing.add_options(
            [
                Selection(("★ " if p.code in self.suggested else "") + _(p.name), p.id, p.id in self.chosen)
                for p in items
            ]
        )
        if items:
            listing.highlighted = 0

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        in_view = {p.id for p in self.session.catalogue if p.category == self.category}
        ticked = set(event.selection_list.selected)
        kept = [i for i in self.chosen if i not in in_view or i in ticked]
        self.chosen = kept + [i for i in event.selection_list.selected if i not in kept]
        self._summary()

    def _summary(self) -> None:
        names = {p.id: _(p.name) for p in self.session.catalogue}
        text = ", ".join(names.get(i, str(i)) for i in self.chosen)
        self.query_one("#products-chosen", Static).update(
            _("Chosen: {names}").format(names=text) if text else _("Chosen: none yet.")
        )

    def action_done(self) -> None:
        self.dismiss(list(self.chosen))
