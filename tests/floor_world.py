"""Test data for the live floor: a desk lead of the main desk, operators on the main and a far
desk, campaigns on both, and calls started and saved at the fixed clock."""

from __future__ import annotations

from core.access.rules import Permission
from core.admin.inputs import NewRole
from core.calls.inputs import CallResult, CallState
from core.console import LocalConsole
from tests.call_world import add_campaign, add_member, client
from tests.helpers import MAIN_DESK, Crm

FAR_DESK = "Far desk"
LEAD_PERMISSIONS = [Permission.VIEW_FLOOR, Permission.WORK_CALLS, Permission.VIEW_CONTACTS]


class FloorWorld:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.root = crm.console("root", role="admin", desks=(MAIN_DESK, FAR_DESK))
        self.root.add_role(NewRole(code="desk_lead", name="Desk lead", permissions=list(LEAD_PERMISSIONS)))
        self.lead = crm.console("lead", role="desk_lead")
        self.op1 = self.operator("op1", (MAIN_DESK,), "Anna Main")
        self.op2 = self.operator("op2", (FAR_DESK,), "Boris Far")
        self.op3 = self.operator("op3", (MAIN_DESK, FAR_DESK), "Vera Both")
        self.main = add_campaign(self.crm, "halva_cross_sell", desk=MAIN_DESK)
        self.far = add_campaign(self.crm, "deposit_far", desk=FAR_DESK, script="")
        self.shared = add_campaign(self.crm, "shared_list", script="")  # no desk: everyone's

    def operator(self, login: str, desks: tuple[str, ...], name: str) -> LocalConsole:
        self.crm.add_employee(login, role="operator", desks=desks, full_name=name)
        return self.crm.sign_in(login)

    def listed(self, campaign_id: int, console: LocalConsole | None = None, **member: object) -> int:
        card = client(console or self.op1)
        add_member(self.crm, campaign_id, card.id, **member)  # type: ignore[arg-type]
        return card.id

    def start(self, console: LocalConsole, campaign_id: int, client_id: int) -> CallResult:
        start = console.start_call(client_id, campaign_id)
        return CallResult(
            client_id=client_id,
            campaign_id=campaign_id,
            phone_id=start.phone_id,
            started_at=start.started_at,
            result="not_reached",
            reason="no_answer",
        )

    def call(self, console: LocalConsole, campaign_id: int, client_id: int, result: str, talk: int = 60) -> None:
        """A whole call of `talk` seconds at the clock, saved with `result`."""
        started = self.start(console, campaign_id, client_id)
        self.crm.clock.advance(seconds=talk)
        extra: dict[str, object] = {"reason": "no_answer"}
        if result == "callback":
            extra = {"reason": "client_request", "state": CallState(reached=True),
                     "next_at": self.crm.clock.now().replace(hour=15)}  # fmt: skip
        console.save_call(CallResult(**{**started.model_dump(), "result": result, **extra}))
        self.crm.clock.advance(seconds=1)
