"""The clients' operations: search, the card and its edits, comments, SMS, new clients (F1-F3, C1-C12)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core import idempotency
from core.access.acting import desks_of, masked_for
from core.access.rules import Permission, desk_visible, mask_phone
from core.clients import masking
from core.clients.card_rules import (
    check_birth_date,
    clean_email,
    clean_name_part,
    clean_passport,
    client_text,
    contacts_edit_verdict,
    email_key,
    passport_key,
    personal_edit_verdict,
    render_template,
)
from core.clients.duplicates import DuplicateOperations
from core.clients.edits import CardEdits
from core.clients.inputs import NewClient
from core.clients.models import ClientCard, ClientSummary, HistoryEntry, OutboxItem, Region, SmsTemplate, Town
from core.clients.names import full_name, latin_key, name_key
from core.clients.phones import normalize_phone
from core.clients.search import MAX_CLIENT_ID, plan
from core.clients.store import CardBlocks, ClientDraft, ClientHead, NewHistory
from core.errors import Conflict, NotFound, ValidationFailed
from core.outbox import NewSms
from core.shapes import MAX_ID
from core.trading.rules import is_online, stage_applies
from core.vocab import ClientType, ContactKind, Lifecycle, PhoneKind, PhoneStatus, SmsPurpose

MAX_COMMENT = 2000
T = TypeVar("T")


class ClientOperations(CardEdits, DuplicateOperations):
    """Search, the card and its edits, comments, SMS and new clients (F1-F3, C1-C12)."""

    def _hide_links(self, card: ClientCard) -> dict[str, object]:
        """Every other client the card names passes the desk rule: hidden, only their existence told."""
        desks = self._desks()
        update: dict[str, object] = {}
        if card.referrer_id is not None and not desk_visible(card.referrer_desk_id, desks):
            update.update(referrer_id=None, referrer=None, referrer_desk_id=None, referrer_hidden=True)
        shown = [c for c in card.linked if desk_visible(c.desk_id, desks)]
        if len(shown) != len(card.linked):
            update.update(linked=shown, linked_hidden=len(card.linked) - len(shown))
        return update

    def _mask_summary(self, summary: ClientSummary) -> ClientSummary:
        return masking.summary(summary, self._masked("phone"), self._masked("country"))

    # --- search -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        me = self.whoami()  # once: the desks and the masks of this search are one employee's
        limit = max(1, min(limit, 500))
        summaries = self.repo.search(plan(query, self.phone_region), desks_of(me), limit)
        now = self.clock.now()
        for summary in summaries:  # C14: decided at read time; fresh objects, set in place
            summary.online = is_online(summary.lifecycle, summary.online_until, now)
        phone, country = masked_for(me, "phone"), masked_for(me, "country")  # decided once, not per row
        if not (phone or country):
            return summaries
        return [masking.summary(s, phone, country) for s in summaries]

    # --- the card -----------------------------------------------------------------------

    def _named(self, read: Callable[[int], T | None], client_id: int) -> T:
        """What `read` gives of the client an id names (F3: after a merge, the survivor) as this
        employee may see it; another desk's client is "not found", as no client is."""
        self.whoami()
        found = read(client_id) if 0 < client_id <= MAX_CLIENT_ID else None
        if found is None or not self._visible(found.desk_id):  # type: ignore[attr-defined]
            raise NotFound(f"No client with CRM id {client_id}.")
        return found

    def _raw_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        return self._named(lambda named: self.repo.card(named, history_limit), client_id)

    def _client_head(self, client_id: int) -> ClientHead:
        """The client's head in one statement, not the card."""
        return self._named(self.repo.client_head, client_id)

    def _card_blocks(self, client_id: int) -> CardBlocks:
        """The card's editable blocks (three statements), not the card."""
        return self._named(self.repo.card_blocks, client_id)

    def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        return self._present(self._raw_card(client_id, history_limit))

    def _present(self, card: ClientCard) -> ClientCard:
        perms = self._perms
        masked = {f for f in ("phone", "email", "country") if self._masked(f)}
        personal = personal_edit_verdict(card.client_type, perms)
        contacts = contacts_edit_verdict(perms, masked)
        update: dict[str, object] = {
            "personal_editable": personal.allowed,
            "personal_readonly_reason": personal.reason,
            "contacts_editable": contacts.allowed,
            "contacts_readonly_reason": contacts.reason,
            **self._hide_links(card),
            "online": is_online(card.lifecycle, card.online_until, self.clock.now()),
            "shows_stage": stage_applies(card.broker_desk, card.lifecycle),
        }
        if masked:
            update.update(masking.card_update(card, masked))
        return card.model_copy(update=update)

    def _mask_entry(self, entry: HistoryEntry) -> HistoryEntry:
        if entry.phone is None or not self._masked("phone"):
            return entry
        return entry.model_copy(update={"phone": mask_phone(entry.phone)})

    def history(self, client_id: int, offset: int = 0, limit: int = 50) -> list[HistoryEntry]:
        """A page of the card's history: one read of the page and the card's desk, not the card."""
        me = self.whoami()  # once: the desks and the mask of this page are one employee's
        page = (
            self.repo.client_history(client_id, max(0, offset), max(1, min(limit, 500)))
            if 0 < client_id <= MAX_CLIENT_ID
            else None
        )
        if page is None or not desk_visible(page.desk_id, desks_of(me)):
            raise NotFound(f"No client with CRM id {client_id}.")
        if masked_for(me, "phone"):  # fresh entries, masked in place; a card's few numbers masked once each
            shown: dict[str, str] = {}
            for entry in page.entries:
                if entry.phone is not None:
                    entry.phone = shown.get(entry.phone) or shown.setdefault(entry.phone, mask_phone(entry.phone))
        return page.entries

    def add_comment(self, client_id: int, text: str) -> HistoryEntry:
        client_id = self._client_head(client_id).id  # F3: a merged-away id names the survivor
        self._require(Permission.COMMENT, "add comments")
        comment = text.strip()
        if not comment:
            raise ValidationFailed("The comment is empty.", field="comment")
        if len(comment) > MAX_COMMENT:
            raise ValidationFailed(f"The comment is longer than {MAX_COMMENT} characters.", field="comment")
        entry = NewHistory(ContactKind.COMMENT, self.clock.now(), self._recorded_id(), comment=comment)
        return self.repo.add_history(client_id, entry)

    def sms_templates(self) -> list[SmsTemplate]:
        self.whoami()
        return self.repo.sms_templates()

    def send_sms(
        self,
        client_id: int,
        template_code: str,
        number: str | None = None,
        phone_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> OutboxItem:
        """C4: the text comes from the template; the number is a phone of the card or a typed one.

        With `idempotency_key`, a retry of the same request returns the first answer and sends nothing.
        """
        client_id = (head := self._client_head(client_id)).id
        self._require(Permission.SEND_SMS, "send SMS")
        claim = None
        if idempotency_key is not None:
            payload = {"client_id": client_id, "template_code": template_code, "number": number, "phone_id": phone_id}
            claim = idempotency.claim(idempotency_key, self.whoami().id, "send_sms", payload, self.clock.now())
            first = self._replay_sms(claim, phone_id)
            if first is not None:
                return first
        template = next((t for t in self.repo.sms_templates() if t.code == template_code), None)
        if template is None:
            raise ValidationFailed("Choose an SMS template.", field="template")
        if phone_id is not None:
            phone = self.repo.client_phone(client_id, phone_id) if 0 < phone_id <= MAX_ID else None
            if phone is None or phone.status != PhoneStatus.ACTIVE:
                raise ValidationFailed("That phone cannot receive SMS; choose another.", field="phone")
            to = phone.number
        elif number and number.strip():
            to = normalize_phone(number, self.phone_region)
        else:
            raise ValidationFailed("Choose the client's mobile or type a number.", field="phone")
        text = render_template(
            client_text(template.texts, head.language, template.text),
            {
                "first_name": head.first_name,
                "patronymic": head.patronymic,
                "full_name": full_name(head.surname, head.first_name, head.patronymic),
            },
        )
        now = self.clock.now()
        me = self.whoami()
        sms = NewSms(
            to,
            text,
            SmsPurpose.CLIENT,
            now,
            client_id=client_id,
            employee_id=me.id or None,
            template_code=template.code,
        )
        entry = NewHistory(ContactKind.SMS, now, me.id or None, comment=text, phone=to, result=template.name)
        try:
            if claim is None:
                item = self.repo.send_client_sms(client_id, sms, entry)
            else:
                item = self.repo.send_client_sms(
                    client_id, sms, entry, claim, shown=lambda sent: self._mask_outbox(sent, phone_id)
                )
        except idempotency.IdempotencyRace:
            first = self._replay_sms(claim, phone_id) if claim else None
            if first is None:
                raise Conflict("The same request is being saved right now; try again.") from None
            return first
        return self._mask_outbox(item, phone_id)

    def _mask_outbox(self, item: OutboxItem, phone_id: int | None) -> OutboxItem:
        if phone_id is not None and self._masked("phone"):
            return item.model_copy(update={"to": mask_phone(item.to)})
        return item

    def _replay_sms(self, claim: idempotency.IdempotencyClaim, phone_id: int | None) -> OutboxItem | None:
        record = self.repo.idempotent_response(claim.employee_id, claim.key)
        if record is None:
            return None
        return self._mask_outbox(OutboxItem.model_validate_json(idempotency.replay(record, claim)), phone_id)

    def create_client(self, draft: NewClient, allow_duplicate: bool = False) -> ClientCard:
        me = self.whoami()
        self._require(Permission.CREATE_CLIENT, "enter new clients")
        now = self.clock.now()
        surname = clean_name_part(draft.surname, "surname")
        first = clean_name_part(draft.first_name, "first_name")
        patronymic = clean_name_part(draft.patronymic, "patronymic", required=False)
        try:
            client_type = ClientType(draft.client_type)
        except ValueError:
            raise ValidationFailed("Choose the client type.", field="client_type") from None
        self._region_town(draft.region_id, draft.town_id)
        series, number = clean_passport(draft.passport_series, draft.passport_number)
        phones = [normalize_phone(p, self.phone_region) for p in draft.phones if p.strip()]
        if not phones:
            raise ValidationFailed("At least one phone is required.", field="phones")
        email = clean_email(draft.email) if draft.email and draft.email.strip() else None
        if draft.referrer_id is not None:
            self._require(Permission.ENTER_RECOMMENDATION, "enter recommendations (office staff only)")
            self._client_head(draft.referrer_id)
        key = passport_key(series, number)
        duplicate = self._check_duplicates(draft, allow_duplicate)
        folded = name_key(surname, first, patronymic)
        record = ClientDraft(
            surname=surname,
            first_name=first,
            patronymic=patronymic,
            name_key=folded,
            name_latin=latin_key(folded),
            birth_date=check_birth_date(draft.birth_date, now.date()),
            client_type=client_type.value,
            lifecycle=Lifecycle.LEAD.value,
            region_id=draft.region_id,
            town_id=draft.town_id,
            passport_series=series,
            passport_number=number,
            passport_key=key,
            desk_id=me.desk_ids[0] if me.desk_ids else None,
            responsible_id=me.id or None,  # the local administrator: nobody's yet
            referrer_id=draft.referrer_id,
            possible_duplicate=duplicate,
            created_at=now,
            phones=[(p, PhoneKind.MOBILE.value) for p in dict.fromkeys(phones)],
            emails=[(email, email_key(email))] if email else [],
        )
        entry = NewHistory(ContactKind.STATUS, now, me.id or None, comment=draft.comment or None, result="created")
        return self.open_card(self.repo.insert_client(record, entry))

    # --- reference data -----------------------------------------------------------------

    def regions(self) -> list[Region]:
        return self.repo.regions()

    def towns(self, region_id: int) -> list[Town]:
        return self.repo.towns(region_id)
