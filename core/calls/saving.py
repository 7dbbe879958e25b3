"""Saving a call (K15): the call, its follow-up, the booking, the visit SMS and do-not-disturb
written in one transaction; `CallSaving` is a mixin of `core.calls.operations.CallOperations`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core import idempotency
from core.calls import rules
from core.calls.catalogue import ResultDef
from core.calls.catalogue import catalogue as result_catalogue
from core.calls.inputs import CallResult, CallState, require_aware_times
from core.calls.results import (
    CallFacts,
    ResultInput,
    check_result,
    required_fields,
)
from core.calls.script_run import ScriptRun
from core.calls.scripts import Script
from core.calls.store import CallAsk, CallClient, CallRead, CampaignRecord, MemberUpdate, NewCall
from core.clients.models import HistoryEntry
from core.clients.phones import normalize_phone
from core.clients.store import NewHistory
from core.clock import as_utc
from core.errors import Conflict, ValidationFailed
from core.offices.rules import office_tz
from core.outbox import NewSms
from core.vocab import ContactKind, PhoneStatus, SmsPurpose

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.repository import Repository

MAX_CALL_COMMENT = 2000


class CallSaving:
    """`save_call` and the rules that build what it writes."""

    repo: Repository
    clock: Clock
    phone_region: str
    timezone: str = rules.DEFAULT_TZ

    if TYPE_CHECKING:  # provided by LocalConsole and CallOperations

        def whoami(self) -> EmployeeInfo: ...
        def _recorded_id(self) -> int | None: ...
        def _mask_entry(self, entry: HistoryEntry) -> HistoryEntry: ...
        def _call_ask(
            self,
            client_id: int,
            campaign_id: int,
            slot_id: int | None = None,
            office_id: int | None = None,
            idempotency_key: str | None = None,
        ) -> CallAsk: ...
        def _call_parties(
            self, facts: CallRead, campaign_id: int, client_id: int
        ) -> tuple[CampaignRecord, CallClient]: ...
        def _call_facts(
            self, now: datetime, script: Script | None, state: CallState, last_agreed: datetime | None, upcoming: bool
        ) -> tuple[CallFacts, ScriptRun | None]: ...
        @staticmethod
        def _script_of(campaign: CampaignRecord) -> Script | None: ...

    def save_call(self, call: CallResult, idempotency_key: str | None = None) -> HistoryEntry:
        """Write the call and everything it causes in one transaction; the history shows it at once.

        One repository call: the slim read of the call's facts, these rules, the writes. A retry
        with the same `idempotency_key` returns the first answer and writes nothing more.
        """
        visit = call.visit
        ask = self._call_ask(
            call.client_id,
            call.campaign_id,
            slot_id=visit.slot_id if visit else None,
            office_id=visit.office_id if visit else None,
            idempotency_key=idempotency_key.strip() if idempotency_key is not None else None,
        )
        claims: list[idempotency.IdempotencyClaim] = []

        def decide(facts: CallRead) -> NewCall | None:
            campaign, client = self._call_parties(facts, call.campaign_id, call.client_id)
            if idempotency_key is not None:
                payload = call.model_dump(mode="json")
                claims.append(idempotency.claim(idempotency_key, ask.employee_id, "save_call", payload, ask.now))
                if facts.replay is not None:
                    idempotency.replay(facts.replay, claims[0])  # IdempotencyMismatch for another request
                    return None
            record = self._build_call(call, campaign, client, facts, ask.now)
            record.claim = claims[0] if claims else None
            return record

        try:
            facts, entry = self.repo.record_call(ask, decide)
        except idempotency.IdempotencyRace:
            first = self._replay_call(claims[0]) if claims else None
            if first is None:
                raise Conflict("The same request is being saved right now; try again.") from None
            return first
        if entry is None:  # a retry: the first answer
            assert facts.replay is not None
            return self._mask_entry(HistoryEntry.model_validate_json(facts.replay.response))
        return self._mask_entry(entry)

    def _replay_call(self, claim: idempotency.IdempotencyClaim) -> HistoryEntry | None:
        record = self.repo.idempotent_response(claim.employee_id, claim.key)
        if record is None:
            return None
        return self._mask_entry(HistoryEntry.model_validate_json(idempotency.replay(record, claim)))

    def _build_call(
        self, call: CallResult, campaign: CampaignRecord, client: CallClient, facts: CallRead, now: datetime
    ) -> NewCall:
        require_aware_times(call)
        tz = self.timezone
        member = facts.member
        if member is None:
            raise ValidationFailed("The client is not on this campaign's list.", field="campaign")
        started = as_utc(call.started_at)
        ended = as_utc(call.ended_at) if call.ended_at else now
        if started > now + timedelta(minutes=1) or started < now - rules.MAX_CALL_AGE:
            raise ValidationFailed("The call's start time is not plausible; start the call again.", field="started_at")
        if ended < started or ended > now + timedelta(minutes=1):
            raise ValidationFailed("The call's end time is not plausible.", field="ended_at")

        phone = None
        if call.phone_id is not None:
            found = next((p for p in facts.phones if p.id == call.phone_id), None)
            if found is None:
                raise ValidationFailed("That phone is not on this card.", field="phone")
            phone = found.number

        result = result_catalogue().get(call.result)
        if result is None:
            raise ValidationFailed("Choose a call result.", field="result")
        upcoming = facts.booking is not None
        rule_facts, _run = self._call_facts(
            now, self._script_at(campaign, call.script_version), call.state, facts.last_agreed_at, upcoming
        )
        next_at = None
        if "next_at" in result.fields:
            next_at = as_utc(call.next_at) if call.next_at else rules.default_next_at(result, now, tz, call.preset)
            if next_at is not None and next_at > now + rules.MAX_NEXT_AHEAD:
                raise ValidationFailed("The next call is more than a year away.", field="next_at")
        choice = ResultInput(
            code=result.code,
            reason=call.reason,
            preset=call.preset,
            next_at=next_at,
            has_visit=call.visit is not None,
            visit_at=as_utc(call.visit_at) if call.visit_at else None,
            product_ids=tuple(call.state.products),
        )
        check_result(result_catalogue(), rule_facts, choice)
        reason = self._reason(result, call)
        fields = required_fields(result, reason)

        comment = self._comment(result, call)
        record = NewCall(
            client_id=client.id,
            campaign_id=campaign.id,
            employee_id=self._recorded_id(),
            at=started,
            ended_at=ended,
            result=result.code,
            reason=reason,
            comment=comment,
            phone=phone,
            member=self._member_update(result, member.attempts, member.state, now, next_at, campaign.retry),
            next_at=next_at,
            product_ids=list(dict.fromkeys(call.state.products)),
            set_do_not_disturb=result.follow_up == "dnd",
        )
        if "visit_at" in fields:
            record.visit_at = choice.visit_at
        if "visit" in fields:
            self._plan_visit(record, call, client, facts, result, now)
        return record

    @staticmethod
    def _reason(result: ResultDef, call: CallResult) -> str | None:
        preset = result.preset(call.preset) if call.preset else None
        reason = preset.reason if preset and preset.reason else call.reason
        return reason if result.reasons else None

    @staticmethod
    def _comment(result: ResultDef, call: CallResult) -> str | None:
        typed = (call.comment or "").strip()
        if len(typed) > MAX_CALL_COMMENT:
            raise ValidationFailed(f"The comment is longer than {MAX_CALL_COMMENT} characters.", field="comment")
        fixed = rules.default_comment(result, call.preset)
        parts = [p for p in (fixed, typed) if p]
        return ". ".join(parts) if parts else None

    def _script_at(self, campaign: CampaignRecord, version: int | None) -> Script | None:
        """The script the call was started on (K16): an older version when it changed meanwhile."""
        if not version or version == campaign.script_version:
            return self._script_of(campaign)
        text = self.repo.script_version(campaign.id, version)
        if text is None:
            raise ValidationFailed(
                "The call's script version is unknown; start the call again.", field="script_version"
            )
        return self._script_of(replace(campaign, script=text))

    def _member_update(
        self, result: ResultDef, attempts: int, state: str, now: datetime, next_at: datetime | None,
        policy: rules.RetryPolicy | None = None,
    ) -> MemberUpdate:  # fmt: skip
        plan = rules.follow_up(result, attempts, now, next_at, self.timezone, state, policy)
        return MemberUpdate(
            expected_attempts=attempts,
            state=plan.state,
            next_call_at=plan.next_call_at,
            attempts=plan.attempts,
            last_call_at=plan.last_call_at,
        )

    def _plan_visit(
        self, record: NewCall, call: CallResult, client: CallClient, facts: CallRead, result: ResultDef, now: datetime
    ) -> None:
        visit = call.visit
        assert visit is not None
        office = facts.office
        if office is None:
            raise ValidationFailed("Choose an office.", field="office")
        if office.region_id != visit.region_id or office.town_id != visit.town_id:
            raise ValidationFailed("The office is not in the chosen region and town.", field="office")
        slot = facts.slot
        if slot is None or slot.office_id != office.id:
            raise ValidationFailed("Choose a time of this office.", field="slot")
        if slot.starts_at <= now:
            raise ValidationFailed("This time has passed; choose a later one.", field="slot")
        if slot.free <= 0:
            raise rules.SlotFull()
        if result.code == "changed_visit_date":
            booking = facts.booking
            if booking is None:
                raise ValidationFailed("The client has no upcoming office visit to move.", field="result")
            if booking.slot_id == slot.id:
                raise ValidationFailed("The visit is at this time already; choose another time.", field="slot")
            record.release_booking_id = booking.id
        record.office_id = office.id
        record.visit_at = slot.starts_at
        record.book_slot_id = slot.id
        tz = office_tz(office, self.timezone)  # the client comes to the office: its local time
        plan = rules.visit_sms_plan(slot.starts_at, now, call.sms.send, tz)
        if not plan.send:
            return
        if call.sms.number and call.sms.number.strip():
            number = normalize_phone(call.sms.number, self.phone_region)
        else:
            mobile = next((p for p in facts.phones if p.status == PhoneStatus.ACTIVE and p.kind == "mobile"), None)
            if mobile is None:
                raise ValidationFailed("The client has no mobile; type a number or untick the SMS.", field="sms")
            number = mobile.number
        text = rules.visit_sms_text(
            client.first_name, client.patronymic, slot.starts_at, office.address, tz, client.language
        )
        record.sms = NewSms(
            to=number,
            text=text,
            purpose=SmsPurpose.VISIT,
            created_at=now,
            send_after=plan.send_after,
            client_id=client.id,
            employee_id=record.employee_id,
        )
        record.sms_entry = NewHistory(
            ContactKind.SMS, now, record.employee_id, comment=text, phone=number, result="Visit SMS"
        )
