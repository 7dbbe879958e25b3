"""The clients' operations: search, the card and its edits, comments, SMS, new clients (F1-F3, C1-C12)."""

from __future__ import annotations

from core import idempotency
from core.access.acting import Acting
from core.access.rules import Permission, desk_visible, mask_phone
from core.clients import masking
from core.clients.card_rules import (
    check_birth_date,
    check_strike_reason,
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
from core.clients.inputs import ContactEdit, NewClient, PersonalEdit, PhoneStrike
from core.clients.models import ClientCard, ClientSummary, HistoryEntry, OutboxItem, Region, SmsTemplate, Town
from core.clients.names import latin_key, name_key
from core.clients.phones import normalize_phone
from core.clients.search import MAX_CLIENT_ID, plan
from core.clients.store import Audit, ClientDraft, ContactOp, NewHistory
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.outbox import NewSms
from core.vocab import ClientType, ContactKind, Lifecycle, PhoneKind, PhoneStatus, SmsPurpose

MAX_COMMENT = 2000


class ClientOperations(Acting, DuplicateOperations):
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
        update: dict[str, object] = {}
        if self._masked("phone"):
            update["phones"] = [mask_phone(p) for p in summary.phones]
        if self._masked("country"):
            update.update(masking.place(summary))
        return summary.model_copy(update=update) if update else summary

    # --- search -------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[ClientSummary]:
        desks = self._desks()
        limit = max(1, min(limit, 500))
        summaries = self.repo.search(plan(query, self.phone_region), desks, limit)
        if not (self._masked("phone") or self._masked("country")):  # decided once, not per row
            return summaries
        return [self._mask_summary(s) for s in summaries]

    # --- the card -----------------------------------------------------------------------

    def _raw_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        self.whoami()
        card = self.repo.card(client_id, history_limit) if 0 < client_id <= MAX_CLIENT_ID else None
        if card is None or not self._visible(card.desk_id):
            raise NotFound(f"No client with CRM id {client_id}.")
        return card

    def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard:
        return self._present(self._raw_card(client_id, history_limit))

    def _present(self, card: ClientCard) -> ClientCard:
        perms = self._perms
        personal = personal_edit_verdict(card.client_type, perms)
        contacts = contacts_edit_verdict(perms)
        update: dict[str, object] = {
            "personal_editable": personal.allowed,
            "personal_readonly_reason": personal.reason,
            "contacts_editable": contacts.allowed,
            "contacts_readonly_reason": contacts.reason,
            **self._hide_links(card),
        }
        masked = {f for f in ("phone", "email", "country") if self._masked(f)}
        if masked:
            update.update(masking.card_update(card, masked))
        return card.model_copy(update=update)

    def _mask_entry(self, entry: HistoryEntry) -> HistoryEntry:
        if entry.phone is None or not self._masked("phone"):
            return entry
        return entry.model_copy(update={"phone": mask_phone(entry.phone)})

    def history(self, client_id: int, offset: int = 0, limit: int = 50) -> list[HistoryEntry]:
        self._raw_card(client_id, 0)
        return [self._mask_entry(h) for h in self.repo.history(client_id, max(0, offset), max(1, min(limit, 500)))]

    def edit_personal(self, client_id: int, edit: PersonalEdit) -> ClientCard:
        card = self._raw_card(client_id)
        verdict = personal_edit_verdict(card.client_type, self._perms)
        if not verdict.allowed:
            raise PermissionDenied(verdict.reason or "Read-only card.")
        self._check_version(card.personal_version, edit.expected_version)
        values: dict[str, object] = {
            "surname": clean_name_part(edit.surname, "surname"),
            "first_name": clean_name_part(edit.first_name, "first_name"),
            "patronymic": clean_name_part(edit.patronymic, "patronymic", required=False),
            "birth_date": check_birth_date(edit.birth_date, self.clock.now().date()),
        }
        region, town = self._region_town(edit.region_id, edit.town_id)
        values["region_id"], values["town_id"] = edit.region_id, edit.town_id
        shown_old = {
            "surname": card.surname,
            "first_name": card.first_name,
            "patronymic": card.patronymic,
            "birth_date": card.birth_date,
            "region_id": card.region,
            "town_id": card.town,
        }
        shown_new = {**values, "region_id": region, "town_id": town}
        audits = [
            Audit(
                field.removesuffix("_id"), _text(shown_old[field]), _text(shown_new[field]), edit.reason, edit.comment
            )
            for field in values
            if shown_old[field] != shown_new[field]
        ]
        if not audits:
            return self._present(card)
        values["name_key"] = name_key(str(values["surname"]), str(values["first_name"]), str(values["patronymic"]))
        values["name_latin"] = latin_key(str(values["name_key"]))
        saved = self.repo.update_personal(
            client_id, edit.expected_version, values, audits, self.whoami().id, self.clock.now()
        )
        if not saved:
            self._stale()
        return self.open_card(client_id)

    def _region_town(self, region_id: int | None, town_id: int | None) -> tuple[str | None, str | None]:
        regions = {r.id: r.name for r in self.repo.regions()}
        if region_id is None:
            if town_id is not None:
                raise ValidationFailed("Choose the region before the town.", field="region")
            return None, None
        if region_id not in regions:
            raise ValidationFailed("Unknown region.", field="region")
        if town_id is None:
            return regions[region_id], None
        town = self.repo.town(town_id)
        if town is None or town.region_id != region_id:
            raise ValidationFailed("The town is not in the chosen region.", field="town")
        return regions[region_id], town.name

    @staticmethod
    def _check_version(current: int, expected: int) -> None:
        if current != expected:
            ClientOperations._stale()

    @staticmethod
    def _stale() -> None:
        raise Conflict("Someone else has changed this block meanwhile; reopen the card to see their change.")

    def edit_contacts(self, client_id: int, edit: ContactEdit) -> ClientCard:
        card = self._raw_card(client_id)
        verdict = contacts_edit_verdict(self._perms)
        if not verdict.allowed:
            raise PermissionDenied(verdict.reason or "Read-only contacts.")
        self._check_version(card.contact_version, edit.expected_version)
        phones = {p.id: p for p in card.phones}
        emails = {e.id: e for e in card.emails}
        ops: list[ContactOp] = []
        audits: list[Audit] = []
        after: dict[int, str] = {p.id: p.number for p in card.phones}  # the card's numbers once saved
        for n, item in enumerate(edit.phones):
            number = normalize_phone(item.number, self.phone_region)
            kind = _phone_kind(item.kind)
            if item.id is None:
                after[-1 - n] = number
                ops.append(ContactOp("phone", None, number, kind))
                audits.append(Audit("phone", None, number, edit.reason, edit.comment))
                continue
            old = phones.get(item.id)
            if old is None:
                raise NotFound("That phone is not on this card any more; reopen the card.")
            after[item.id] = number
            if old.number != number or old.kind != kind:
                ops.append(ContactOp("phone", item.id, number, kind))
                audits.append(Audit("phone", old.number, number, edit.reason, edit.comment))
        numbers = list(after.values())
        repeated = next((number for number in numbers if numbers.count(number) > 1), None)
        if repeated is not None:
            raise ValidationFailed(f"{repeated} is already on this card.", field="phone")
        for item in edit.emails:
            address = clean_email(item.address) if item.address.strip() else None
            if item.id is None:
                if address:
                    ops.append(ContactOp("email", None, address))
                    audits.append(Audit("email", None, address, edit.reason, edit.comment))
                continue
            old_email = emails.get(item.id)
            if old_email is None:
                raise NotFound("That e-mail is not on this card any more; reopen the card.")
            if old_email.address != address:
                ops.append(ContactOp("email", item.id, address))
                audits.append(Audit("email", old_email.address, address, edit.reason, edit.comment))
        if not ops:
            return self._present(card)
        if not self.repo.update_contacts(
            client_id, edit.expected_version, ops, audits, self.whoami().id, self.clock.now()
        ):
            self._stale()
        return self.open_card(client_id)

    def strike_phone(self, client_id: int, strike: PhoneStrike) -> ClientCard:
        card = self._raw_card(client_id)
        if Permission.EDIT_CONTACTS not in self._perms:
            raise PermissionDenied("Your role may not edit contact data.")
        self._check_version(card.contact_version, strike.expected_version)
        reason = check_strike_reason(strike.reason)
        phone = next((p for p in card.phones if p.id == strike.phone_id), None)
        if phone is None:
            raise NotFound("That phone is not on this card any more; reopen the card.")
        if phone.status == PhoneStatus.STRUCK:
            raise ValidationFailed("This phone is struck already.", field="phone")
        op = ContactOp("phone", phone.id, phone.number, phone.kind, PhoneStatus.STRUCK, reason.value)
        audit = Audit(
            "phone_status",
            f"{phone.number} {PhoneStatus.ACTIVE.value}",
            f"{phone.number} {PhoneStatus.STRUCK.value}",
            reason.label,
            strike.comment,
        )
        if not self.repo.update_contacts(
            client_id, strike.expected_version, [op], [audit], self.whoami().id, self.clock.now()
        ):
            self._stale()
        return self.open_card(client_id)

    def add_comment(self, client_id: int, text: str) -> HistoryEntry:
        self._raw_card(client_id, 0)
        self._require(Permission.COMMENT, "add comments")
        comment = text.strip()
        if not comment:
            raise ValidationFailed("The comment is empty.", field="comment")
        if len(comment) > MAX_COMMENT:
            raise ValidationFailed(f"The comment is longer than {MAX_COMMENT} characters.", field="comment")
        entry = NewHistory(ContactKind.COMMENT, self.clock.now(), self.whoami().id, comment=comment)
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
        card = self._raw_card(client_id, 0)
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
            phone = next((p for p in card.phones if p.id == phone_id), None)
            if phone is None or phone.status != PhoneStatus.ACTIVE:
                raise ValidationFailed("That phone cannot receive SMS; choose another.", field="phone")
            to = phone.number
        elif number and number.strip():
            to = normalize_phone(number, self.phone_region)
        else:
            raise ValidationFailed("Choose the client's mobile or type a number.", field="phone")
        text = render_template(
            client_text(template.texts, card.language, template.text),
            {"first_name": card.first_name, "patronymic": card.patronymic, "full_name": card.full_name},
        )
        now = self.clock.now()
        me = self.whoami()
        sms = NewSms(
            to, text, SmsPurpose.CLIENT, now, client_id=client_id, employee_id=me.id, template_code=template.code
        )
        entry = NewHistory(ContactKind.SMS, now, me.id, comment=text, phone=to, result=template.name)
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
            self._raw_card(draft.referrer_id, 0)
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
            responsible_id=me.id,
            referrer_id=draft.referrer_id,
            possible_duplicate=duplicate,
            created_at=now,
            phones=[(p, PhoneKind.MOBILE.value) for p in dict.fromkeys(phones)],
            emails=[(email, email_key(email))] if email else [],
        )
        entry = NewHistory(ContactKind.STATUS, now, me.id, comment=draft.comment or None, result="created")
        return self.open_card(self.repo.insert_client(record, entry))

    # --- reference data -----------------------------------------------------------------

    def regions(self) -> list[Region]:
        return self.repo.regions()

    def towns(self, region_id: int) -> list[Town]:
        return self.repo.towns(region_id)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _phone_kind(kind: str) -> str:
    try:
        return PhoneKind(kind).value
    except ValueError:
        raise ValidationFailed("Phone kind is mobile, home or work.", field="phone_kind") from None
