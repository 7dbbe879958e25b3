"""The call operations of the local Console (K1-K17, O1-O4, C11, C16): `CallOperations` is a mixin
of `core.console.LocalConsole` and uses its session helpers (whoami, permissions, desks, the card).

Time zone: "tomorrow", "+14 days" and the calling hours are computed in `timezone` (settings.timezone;
Europe/Moscow unless configured); an office's calendar days, "the day before the visit" and the
visit SMS in the office's own zone (`call_rules.office_tz`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from core.access.rules import Permission, mask_phone
from core.calls import rules
from core.calls.catalogue import HALVA_CARD
from core.calls.catalogue import catalogue as result_catalogue
from core.calls.inputs import CallState
from core.calls.models import (
    CallListInfo,
    CallStart,
    CampaignInfo,
    CreditDecision,
    PresetOption,
    ReasonOption,
    ResultOption,
    ScriptInfo,
)
from core.calls.results import (
    CallFacts,
    reason_availability,
    result_availability,
)
from core.calls.saving import CallSaving
from core.calls.script_run import ScriptRun
from core.calls.scripts import Script, ScriptError, load_script, text_values
from core.calls.store import CallAsk, CallClient, CallListQuery, CallRead, CampaignRecord, StartPlan
from core.clients.models import ClientCard, HistoryEntry
from core.clients.names import full_name
from core.clients.search import MAX_CLIENT_ID
from core.clients.store import ClientHead
from core.digits import ascii_digits, is_digits
from core.errors import NotFound, ValidationFailed
from core.offices.models import ProductOption
from core.vocab import PhoneStatus

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.repository import Repository

MAX_SLOT_DAYS = 62
DECISION_LABELS = {"approved": "Approved", "declined": "Declined"}


@lru_cache(maxsize=64)
def _parse_script(text: str) -> tuple[Script | None, tuple[str, ...]]:
    try:
        return load_script(text), ()
    except ScriptError as exc:
        return None, tuple(exc.problems)


class CallOperations(CallSaving):
    """Campaign lists, the script, result options; saving is `core.calls.saving.CallSaving`."""

    repo: Repository
    clock: Clock
    phone_region: str
    timezone: str = rules.DEFAULT_TZ
    credit_bureau: rules.CreditBureau = rules.BuiltinBureau()

    if TYPE_CHECKING:  # provided by LocalConsole

        def whoami(self) -> EmployeeInfo: ...
        def _floor_session(self) -> str: ...
        @property
        def _perms(self) -> frozenset[str]: ...
        def _require(self, permission: Permission, what: str) -> None: ...
        def _masked(self, field: str) -> bool: ...
        def _desks(self) -> list[int] | None: ...
        def _visible(self, desk_id: int | None) -> bool: ...
        def _client_head(self, client_id: int) -> ClientHead: ...
        def _mask_entry(self, entry: HistoryEntry) -> HistoryEntry: ...
        def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard: ...

    # --- campaigns and lists (K16) ------------------------------------------------------

    def _may_work(self) -> bool:
        return Permission.WORK_CALLS in self._perms

    def _work_campaign(self, campaign_id: int) -> CampaignRecord:
        self._require(Permission.WORK_CALLS, "work calls")
        campaign = self.repo.campaign(campaign_id)
        if campaign is None or not campaign.active or not self._visible_campaign(campaign):
            raise NotFound(f"No campaign {campaign_id} for you.")
        return campaign

    def _visible_campaign(self, campaign: CampaignRecord) -> bool:
        return campaign.desk_id is None or self._visible(campaign.desk_id)

    @staticmethod
    def _script_of(campaign: CampaignRecord) -> Script | None:
        return _parse_script(campaign.script)[0]

    def _info(self, campaign: CampaignRecord) -> CampaignInfo:
        script = self._script_of(campaign)
        return CampaignInfo(
            id=campaign.id,
            code=campaign.code,
            name=campaign.name,
            kind=script.kind if script else "sales",
            script_name=script.name if script else "",
        )

    def campaigns_for(self, client_id: int) -> list[CampaignInfo]:
        """Active campaigns the client is on that this employee may work."""
        client_id = self._client_head(client_id).id  # F3: a merged-away id names the survivor
        if not self._may_work():
            return []
        out = []
        for campaign, member in self.repo.client_campaigns(client_id):
            if campaign.active and self._visible_campaign(campaign):
                out.append(
                    self._info(campaign).model_copy(
                        update={
                            "state": member.state,
                            "next_call_at": member.next_call_at,
                            "attempts": member.attempts,
                            "last_call_at": member.last_call_at,
                        }
                    )
                )
        return out

    def _list_query(self, campaign: CampaignRecord) -> CallListQuery:
        """Who the campaign may hand out now: its calling hours hold in each client's own zone."""
        now = self.clock.now()
        known = {*self.repo.call_zones(), self.timezone}
        open_now = rules.open_zones(known, campaign.retry.hours, now)
        return CallListQuery(
            desk_ids=self._desks(),
            now=now,
            recent_before=now - rules.RECENT,
            max_attempts=campaign.retry.max_attempts,
            hold_until=now + rules.CLAIM_HOLD,
            zones=None if len(open_now) == len(known) else open_now,
            default_tz=self.timezone,
        )

    def call_lists(self) -> list[CallListInfo]:
        """The campaigns this employee may work, with how many clients each would hand out now."""
        self.whoami()
        if not self._may_work():
            return []
        out = []
        for campaign in self.repo.campaigns(self._desks()):
            callbacks, fresh, retries = self.repo.call_list_counts(campaign.id, self._list_query(campaign))
            out.append(
                CallListInfo(campaign=self._info(campaign), due_callbacks=callbacks, fresh=fresh, due_retries=retries)
            )
        return out

    def next_client(self, campaign_id: int) -> ClientCard | None:
        """K16: the next client to call, taken for this employee (no one else gets it meanwhile);
        None when the list is empty for now."""
        campaign = self._work_campaign(campaign_id)
        client_id = self.repo.claim_next(campaign_id, self._list_query(campaign))
        return self.open_card(client_id) if client_id is not None else None

    # --- the call and its script (K2) ----------------------------------------------------

    def script(self, campaign_id: int) -> ScriptInfo:
        return self._script_info(self._work_campaign(campaign_id))

    @staticmethod
    def _script_info(campaign: CampaignRecord) -> ScriptInfo:
        parsed, problems = _parse_script(campaign.script)
        return ScriptInfo(
            campaign_id=campaign.id,
            code=campaign.code,
            version=campaign.script_version,
            name=(parsed.name if parsed and parsed.name else campaign.name),
            kind=parsed.kind if parsed else "sales",
            text=campaign.script,
            problems=list(problems),
        )

    def _call_ask(
        self,
        client_id: int,
        campaign_id: int,
        slot_id: int | None = None,
        office_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> CallAsk:
        """The facts a call needs; a client id no client can have is asked as 0 (none found)."""
        self._require(Permission.WORK_CALLS, "work calls")
        known = client_id if 0 < client_id <= MAX_CLIENT_ID else 0
        me = self.whoami().id
        return CallAsk(campaign_id, known, me, self.clock.now(), slot_id, office_id, idempotency_key,
                       self._floor_session())  # fmt: skip

    def _call_parties(self, facts: CallRead, campaign_id: int, client_id: int) -> tuple[CampaignRecord, CallClient]:
        """The campaign and client of a call as this employee may see them; NotFound otherwise."""
        campaign = facts.campaign
        if campaign is None or not campaign.active or not self._visible_campaign(campaign):
            raise NotFound(f"No campaign {campaign_id} for you.")
        client = facts.client
        if client is None or not self._visible(client.desk_id):
            raise NotFound(f"No client with CRM id {client_id}.")
        return campaign, client

    def _plan_start(self, facts: CallRead, ask: CallAsk, client_id: int, phone_id: int | None) -> StartPlan:
        _campaign, client = self._call_parties(facts, ask.campaign_id, client_id)
        if facts.member is None:
            raise ValidationFailed("The client is not on this campaign's list.", field="campaign")
        refusal = rules.call_refusal(client)
        if refusal is not None:
            raise ValidationFailed(refusal, field="client")
        active = [p for p in facts.phones if p.status == PhoneStatus.ACTIVE]
        if phone_id is None:
            phone = next((p for p in active if p.kind == "mobile"), active[0] if active else None)
            if phone is None:
                raise ValidationFailed("Every phone of this client is struck; there is nothing to dial.", field="phone")
        else:
            phone = next((p for p in active if p.id == phone_id), None)
            if phone is None:
                raise ValidationFailed("That phone is not an active phone of this client.", field="phone")
        return StartPlan(now=ask.now, hold_until=ask.now + rules.CLAIM_HOLD, phone=phone)

    def start_call(self, client_id: int, campaign_id: int, phone_id: int | None = None) -> CallStart:
        """Start a call of a listed client on one of the card's phones (the first active one by
        default); the client is taken off other operators' lists meanwhile. One transaction: the
        slim read of the call's facts, the rules, the claim."""
        ask = self._call_ask(client_id, campaign_id)
        facts, plan = self.repo.start_call(ask, lambda f: self._plan_start(f, ask, client_id, phone_id))
        campaign, client = self._call_parties(facts, campaign_id, client_id)
        masked = self._masked("phone")
        values = text_values(
            {
                "first_name": client.first_name,
                "patronymic": client.patronymic,
                "surname": client.surname,
                "full_name": full_name(client.surname, client.first_name, client.patronymic),
                "region": client.region,
                "town": client.town,
            },
            self.whoami().full_name,
            campaign.name,
        )
        return CallStart(
            client_id=client.id,  # the card found (after a merge: its survivor)
            campaign_id=campaign_id,
            campaign=campaign.name,
            phone_id=plan.phone.id,
            phone=mask_phone(plan.phone.number) if masked else plan.phone.number,
            started_at=plan.now,
            script=self._script_info(campaign),
            text_values=values,
            state=CallState(),
        )

    # --- result options (K1, K3-K13) -----------------------------------------------------

    def _run(self, script: Script | None, state: CallState) -> ScriptRun | None:
        if script is None:
            if state.answers:
                raise ValidationFailed("This campaign has no usable script; send no script answers.", field="script")
            return None
        return ScriptRun.replay(script, state.answers, state.objections)

    def _products(self, ids: list[int]) -> list[ProductOption]:
        known = {p.id: p for p in self.repo.products()}
        missing = [i for i in ids if i not in known]
        if missing:
            raise ValidationFailed("Unknown product chosen.", field="products")
        return [known[i] for i in dict.fromkeys(ids)]

    def _facts(self, client_id: int, script: Script | None, state: CallState) -> tuple[CallFacts, ScriptRun | None]:
        now = self.clock.now()
        last_agreed = self.repo.last_result_at(client_id, "agreed")
        upcoming = self.repo.upcoming_booking(client_id, now) is not None
        return self._call_facts(now, script, state, last_agreed, upcoming)

    def _call_facts(
        self, now: datetime, script: Script | None, state: CallState, last_agreed: datetime | None, upcoming: bool
    ) -> tuple[CallFacts, ScriptRun | None]:
        run = self._run(script, state)
        products = self._products(state.products)
        facts = CallFacts(
            now=now,
            permissions=self._perms,
            talked=state.reached or (run.talked if run else False),
            objection_attempts=run.objection_attempts if run else len(state.objections),
            campaign_kind=script.kind if script else "sales",
            last_agreed_at=last_agreed,
            upcoming_visit=upcoming,
            card_product=any(p.is_card for p in products),
            halva_card=any(p.code == HALVA_CARD for p in products),
        )
        return facts, run

    def result_options(self, client_id: int, campaign_id: int, state: CallState | None = None) -> list[ResultOption]:
        """Every result of the catalogue with whether it may be chosen now and why not."""
        campaign = self._work_campaign(campaign_id)
        client_id = self._client_head(client_id).id  # F3: a merged-away id names the survivor
        facts, run = self._facts(client_id, self._script_of(campaign), state or CallState())
        suggested = run.outcome.result if run and run.outcome else None
        now = facts.now
        options = []
        for result in result_catalogue().results:
            verdict = result_availability(result, facts)
            reasons = []
            for reason in result.reasons:
                r_verdict = reason_availability(reason, facts)
                reasons.append(
                    ReasonOption(
                        code=reason.code,
                        label=reason.label,
                        available=r_verdict.allowed,
                        why=r_verdict.why,
                        fields=list(reason.fields),
                    )
                )
            presets = [
                PresetOption(
                    code=p.code,
                    label=p.label,
                    reason=p.reason,
                    default_next_at=rules.default_next_at(result, now, self.timezone, p.code),
                    comment=p.comment,
                )
                for p in result.presets
            ]
            options.append(
                ResultOption(
                    code=result.code,
                    label=result.label,
                    group=result.group,
                    available=verdict.allowed,
                    why=verdict.why,
                    fields=list(result.fields),
                    reasons=reasons,
                    presets=presets,
                    default_next_at=rules.default_next_at(result, now, self.timezone),
                    script_suggests=result.code == suggested,
                )
            )
        return options

    # --- the credit bureau (C11) ----------------------------------------------------------

    def credit_decision(
        self,
        client_id: int,
        campaign_id: int,
        state: CallState,
        passport_series: str | None = None,
        passport_number: str | None = None,
        birth_date: date | None = None,
    ) -> CreditDecision:
        """Pre-decision from passport and birth date (prefilled from the card), only within a
        card-product conversation: a card product chosen, or the script at a card-offer block."""
        campaign = self._work_campaign(campaign_id)
        client_id = (head := self._client_head(client_id)).id
        facts, run = self._facts(client_id, self._script_of(campaign), state)
        if not facts.talked or not (facts.card_product or (run is not None and run.card_offer)):
            raise ValidationFailed(
                "The credit-bureau check is offered only while talking about a card product.", field="credit"
            )
        series = "".join(ascii_digits(passport_series or head.passport_series or "").split())
        number = "".join(ascii_digits(passport_number or head.passport_number or "").split())
        born = birth_date or head.birth_date
        if not (is_digits(series) and len(series) == 4):
            raise ValidationFailed("Passport series: 4 digits.", field="passport_series")
        if not (is_digits(number) and len(number) == 6):
            raise ValidationFailed("Passport number: 6 digits.", field="passport_number")
        if born is None:
            raise ValidationFailed("Enter the birth date.", field="birth_date")
        now = self.clock.now()
        decision = self.credit_bureau.decide(series, number, born, rules.local(now, self.timezone).date())
        return CreditDecision(
            decision=decision,
            label=DECISION_LABELS.get(decision, decision),
            passport_series=series,
            passport_number=number,
            birth_date=born,
            at=now,
        )
