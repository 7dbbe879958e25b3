"""The broker's side of the local Console: platform events (I4) and the card's trading tab, the
money-request queue (M3). Mixed into `core.console.LocalConsole`."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from core.access.acting import Acting
from core.access.rules import Permission, mask_email
from core.delivery.templates import render
from core.errors import Conflict, NotFound, ValidationFailed
from core.outbox import NewEmail
from core.trading import cabinet, rules
from core.trading.cabinet import Cabinet, SimulatedCabinet
from core.trading.inputs import Decision
from core.trading.models import (
    CabinetRegistration,
    ClientPulse,
    EventOutcome,
    MoneyRequest,
    PlatformEvent,
    Pulse,
    RequestStatus,
    TradePage,
    TradingView,
)
from core.trading.notices import money_notices
from core.trading.rules import TradingConfig
from core.trading.store import DecisionPlan, RequestFacts
from core.vocab import Lifecycle, SmsPurpose

if TYPE_CHECKING:
    from core.trading.store import TradingStore

MAX_PAGE = 500
MAX_REQUESTS = 500
MAX_PULSE_IDS = 200  # a screen watches what it shows: a card, a page of results
REQUESTS_ON_CARD = 20


@lru_cache(maxsize=1)
def configured() -> TradingConfig:
    """The online timeout and low-balance thresholds of the settings (read once)."""
    from core.settings import load_settings

    settings = load_settings()
    return TradingConfig(online_timeout_s=settings.online_timeout_s, low_balance=settings.low_balance)


class TradingOperations(Acting):
    """`core.trading.port.TradingPort`, and `apply_event` for the platform (no employee acts)."""

    repo: TradingStore  # type: ignore[assignment]
    trading_config: TradingConfig | None = None  # None: the settings' (`configured`)
    cabinet: Cabinet | None = None  # M2's platform adapter; None: the simulator's

    @property
    def _trading(self) -> TradingConfig:
        return self.trading_config or configured()

    # --- I4: events ------------------------------------------------------------------------

    def apply_event(self, event: PlatformEvent) -> EventOutcome:
        """One event through the rules, its id and effect in one transaction; a replay is a no-op."""
        rules.check_event(event)
        config = self._trading
        effect = self.repo.apply_event(event, lambda state: rules.decide(event, state, config), self.clock.now())
        if effect is None:
            return EventOutcome(event_id=event.id, outcome="duplicate", detail="Seen before; nothing changed.")
        return EventOutcome(event_id=event.id, outcome=effect.outcome, detail=effect.detail, lifecycle=effect.lifecycle)

    # --- C13-C15: the card's tab -----------------------------------------------------------

    def trading(self, client_id: int) -> TradingView:
        self.whoami()
        data = self.repo.trading_data(client_id, REQUESTS_ON_CARD) if client_id > 0 else None
        if data is None or not self._visible(data.desk_id):
            raise NotFound(f"No client with CRM id {client_id}.")
        thresholds = self._trading.low_balance
        accounts = [
            a.model_copy(update={"low_balance": rules.low_balance(a.balance.amount, a.currency, thresholds)})
            for a in data.accounts
        ]
        return TradingView(
            client_id=client_id,
            lifecycle=data.lifecycle,
            online=rules.is_online(data.lifecycle, data.online_until, self.clock.now()),
            accounts=accounts,
            requests=data.requests,
        )

    def trades(self, account_id: int, offset: int = 0, limit: int = 50, open_only: bool = False) -> TradePage:
        self.whoami()
        offset, limit = max(0, offset), max(1, min(limit, MAX_PAGE))
        client_id, desk_id, trades, total = self.repo.trade_page(account_id, offset, limit, open_only)
        if client_id is None or not self._visible(desk_id):
            raise NotFound(f"No trading account {account_id}.")
        return TradePage(account_id=account_id, trades=trades, total=total, offset=offset)

    # --- the live card ----------------------------------------------------------------------

    def pulse(self, client_ids: list[int], queue: bool = False) -> Pulse:
        self.whoami()
        ids = sorted({i for i in client_ids if i > 0})
        if len(ids) > MAX_PULSE_IDS:
            raise ValidationFailed(f"At most {MAX_PULSE_IDS} clients at once.", field="ids")
        queue = queue and Permission.EXECUTE_PAYMENTS in self._perms
        rows, token = self.repo.pulse(ids, queue, self._desks())  # S4: the token of my desks' requests
        now = self.clock.now()
        clients = [
            ClientPulse(id=r.id, version=r.version, lifecycle=r.lifecycle,
                        online=rules.is_online(r.lifecycle, r.online_until, now))
            for r in rows
            if self._visible(r.desk_id)
        ]  # fmt: skip
        return Pulse(clients=clients, queue=token)

    # --- M3: the queue ---------------------------------------------------------------------

    def money_requests(self, status: str | None = "pending", limit: int = 100) -> list[MoneyRequest]:
        self._require(Permission.EXECUTE_PAYMENTS, "execute or reject money requests")
        if status is not None and status not in {s.value for s in RequestStatus}:
            raise ValidationFailed(f"Unknown status '{status}'.", field="status")
        return self.repo.money_requests(status, self._desks(), max(1, min(limit, MAX_REQUESTS)))

    def decide_request(self, request_id: int, decision: Decision) -> MoneyRequest:
        self._require(Permission.EXECUTE_PAYMENTS, "execute or reject money requests")
        reason = (decision.reason or "").strip()
        if decision.action == "reject" and not reason:
            raise ValidationFailed("A rejection needs its reason.", field="reason")
        me, now = self.whoami(), self.clock.now()
        employee_id = me.id or None  # the local administrator of the CLI is no employee row
        templates = self.repo.email_templates()  # reference data, cached

        def plan(facts: RequestFacts) -> DecisionPlan:
            if not self._visible(facts.desk_id):
                raise NotFound(f"No money request {request_id}.")
            executed = decision.action == "execute"
            sms, email = money_notices(facts, executed, reason, templates, employee_id, now)
            status = RequestStatus.EXECUTED.value if executed else RequestStatus.REJECTED.value
            return DecisionPlan(status, None if executed else reason, employee_id, now, sms, email)

        outcome, request = self.repo.decide_request(request_id, plan)
        if outcome == "not_found" or request is None:
            raise NotFound(f"No money request {request_id}.")
        if outcome == "stale":
            raise Conflict(f"The request is {request.status} already; nothing was done.")
        return request

    # --- M2: the cabinet -------------------------------------------------------------------

    def register_in_cabinet(self, client_id: int) -> CabinetRegistration:
        """A Lead with an e-mail gets a cabinet account; the password goes by e-mail only."""
        self._require(Permission.CREATE_CLIENT, "register clients in the cabinet")
        me, now = self.whoami(), self.clock.now()
        facts = self.repo.cabinet_facts(client_id) if client_id > 0 else None
        if facts is None or not self._visible(facts.desk_id):
            raise NotFound(f"No client with CRM id {client_id}.")
        if facts.login is not None or facts.lifecycle != Lifecycle.LEAD.value:
            raise Conflict("Only a Lead not yet in the cabinet can be registered.")
        if not facts.email:
            raise ValidationFailed("The card has no e-mail for the credentials.", field="email")
        template = self.repo.email_templates().get(cabinet.TEMPLATE)
        if template is None:
            raise ValidationFailed("The credentials e-mail template is missing.", field="template")
        password = cabinet.new_password()
        account = (self.cabinet or SimulatedCabinet(self.clock)).register(
            client_id, facts.email, facts.first_name, password
        )
        fields = {"first_name": facts.first_name, "login": account.login}
        subject, body = render(template, facts.language, **fields, password=password)
        _, redacted = render(template, facts.language, **fields, password=cabinet.REDACTED)
        email = NewEmail(
            to=facts.email, subject=subject, body=body, purpose=SmsPurpose.CREDENTIALS.value, created_at=now,
            client_id=client_id, employee_id=me.id or None, template_code=cabinet.TEMPLATE, redacted=redacted,
        )  # fmt: skip
        if not self.repo.record_cabinet(client_id, account.login, email, now):
            raise Conflict("The client was registered in the cabinet meanwhile.")
        lifecycle = facts.lifecycle
        for event in account.events:  # the platform's own report, through the webhook's path
            lifecycle = self.apply_event(event).lifecycle or lifecycle
        shown = mask_email(facts.email) if self._masked("email") else facts.email
        return CabinetRegistration(client_id=client_id, login=account.login, email=shown, lifecycle=lifecycle)
