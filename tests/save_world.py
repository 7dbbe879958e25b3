"""The world of the call-save tests: a campaign, an office with a visiting time, the halva card."""

from __future__ import annotations

from datetime import UTC, datetime

from core.calls.inputs import CallResult, CallState, VisitChoice
from tests.call_world import add_campaign, add_office, add_slot, listed, product_id
from tests.helpers import Crm

# T0 is Monday 10 March 2025, 12:00 in Moscow. The visit: Thursday 13 March, 11:00 MSK.
VISIT = datetime(2025, 3, 13, 8, 0, tzinfo=UTC)
TODAY_17 = datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
AGREED_PATH = [1, 1, 1, 4]  # halva: client on the line -> convenient -> interested -> wants an office visit


class World:
    def __init__(self, crm: Crm, role: str = "supervisor") -> None:
        self.crm = crm
        self.console = crm.console(f"{role}1", role=role)
        self.campaign = add_campaign(crm, "halva_cross_sell")
        self.office = add_office(crm)
        self.region = crm.region_id("Москва")
        self.town = crm.town_id(self.region, "Москва")
        self.slot = add_slot(crm, self.office, VISIT)
        self.halva = product_id(crm, "halva")
        self.deposit = product_id(crm, "deposit_best")

    def client(self) -> int:
        return listed(self.crm, self.console, self.campaign)

    def call(self, client_id: int, result: str, console=None, **kw: object) -> CallResult:  # type: ignore[no-untyped-def]
        start = (console or self.console).start_call(client_id, self.campaign)
        values: dict[str, object] = {
            "client_id": client_id,
            "campaign_id": self.campaign,
            "phone_id": start.phone_id,
            "started_at": start.started_at,
            "result": result,
        }
        values.update(kw)
        return CallResult(**values)  # type: ignore[arg-type]

    def visit(self, slot: int | None = None) -> VisitChoice:
        return VisitChoice(region_id=self.region, town_id=self.town, office_id=self.office, slot_id=slot or self.slot)

    def agreed(self, client_id: int, console=None, slot: int | None = None, **kw: object) -> CallResult:  # type: ignore[no-untyped-def]
        state = CallState(answers=AGREED_PATH, products=[self.halva, self.deposit])
        return self.call(client_id, "agreed", console, state=state, visit=self.visit(slot), **kw)

    def counts(self) -> dict[str, int]:
        c = self.crm.count
        return {
            "calls": c("contact", kind="call"),
            "sms_rows": c("contact", kind="sms"),
            "products": c("contact_product"),
            "bookings": c("booking"),
            "outbox_visit": c("sms_outbox", purpose="visit"),
            "dnd": c("client", do_not_disturb=True),
        }
