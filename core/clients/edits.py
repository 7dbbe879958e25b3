"""Editing the card (C4-C10, S6): the personal block, the contact block, striking a phone — each
guarded by its version against lost updates and audited field by field (C10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.acting import Acting
from core.access.rules import Permission
from core.clients.card_rules import (
    check_birth_date,
    check_strike_reason,
    clean_email,
    clean_name_part,
    contacts_edit_verdict,
    personal_edit_verdict,
)
from core.clients.inputs import ContactEdit, PersonalEdit, PhoneStrike
from core.clients.models import ClientCard
from core.clients.names import latin_key, name_key
from core.clients.phones import normalize_phone
from core.clients.store import Audit, CardBlocks, ContactOp
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.vocab import PhoneKind, PhoneStatus


class CardEdits(Acting):
    """A mixin of `core.clients.operations.ClientOperations`; needs its `_card_blocks` and `open_card`.

    An edit reads the blocks it compares (`CardBlocks`), writes, and answers the card as saved."""

    if TYPE_CHECKING:

        def _card_blocks(self, client_id: int) -> CardBlocks: ...
        def open_card(self, client_id: int, history_limit: int = 50) -> ClientCard: ...

    def edit_personal(self, client_id: int, edit: PersonalEdit) -> ClientCard:
        client_id = (blocks := self._card_blocks(client_id)).id  # F3: a merged-away id names the survivor
        verdict = personal_edit_verdict(blocks.client_type, self._perms)
        if not verdict.allowed:
            raise PermissionDenied(verdict.reason or "Read-only card.")
        self._check_version(blocks.personal_version, edit.expected_version)
        values: dict[str, object] = {
            "surname": clean_name_part(edit.surname, "surname"),
            "first_name": clean_name_part(edit.first_name, "first_name"),
            "patronymic": clean_name_part(edit.patronymic, "patronymic", required=False),
            "birth_date": check_birth_date(edit.birth_date, self.clock.now().date()),
        }
        region, town = self._region_town(edit.region_id, edit.town_id)
        values["region_id"], values["town_id"] = edit.region_id, edit.town_id
        shown_old = {
            "surname": blocks.surname,
            "first_name": blocks.first_name,
            "patronymic": blocks.patronymic,
            "birth_date": blocks.birth_date,
            "region_id": blocks.region,
            "town_id": blocks.town,
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
            return self.open_card(client_id)
        values["name_key"] = name_key(str(values["surname"]), str(values["first_name"]), str(values["patronymic"]))
        values["name_latin"] = latin_key(str(values["name_key"]))
        saved = self.repo.update_personal(
            client_id, edit.expected_version, values, audits, self._recorded_id(), self.clock.now()
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
            CardEdits._stale()

    @staticmethod
    def _stale() -> None:
        raise Conflict("Someone else has changed this block meanwhile; reopen the card to see their change.")

    def edit_contacts(self, client_id: int, edit: ContactEdit) -> ClientCard:
        client_id = (blocks := self._card_blocks(client_id)).id  # F3: a merged-away id names the survivor
        verdict = contacts_edit_verdict(self._perms, [f for f in ("phone", "email") if self._masked(f)])
        if not verdict.allowed:
            raise PermissionDenied(verdict.reason or "Read-only contacts.")
        self._check_version(blocks.contact_version, edit.expected_version)
        phones = {p.id: p for p in blocks.phones}
        emails = {e.id: e for e in blocks.emails}
        ops: list[ContactOp] = []
        audits: list[Audit] = []
        after: dict[int, str] = {p.id: p.number for p in blocks.phones}  # the card's numbers once saved
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
            return self.open_card(client_id)
        if not self.repo.update_contacts(
            client_id, edit.expected_version, ops, audits, self._recorded_id(), self.clock.now()
        ):
            self._stale()
        return self.open_card(client_id)

    def strike_phone(self, client_id: int, strike: PhoneStrike) -> ClientCard:
        client_id = (blocks := self._card_blocks(client_id)).id  # F3: a merged-away id names the survivor
        if Permission.EDIT_CONTACTS not in self._perms:
            raise PermissionDenied("Your role may not edit contact data.")
        self._check_version(blocks.contact_version, strike.expected_version)
        reason = check_strike_reason(strike.reason)
        phone = next((p for p in blocks.phones if p.id == strike.phone_id), None)
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
            client_id, strike.expected_version, [op], [audit], self._recorded_id(), self.clock.now()
        ):
            self._stale()
        return self.open_card(client_id)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _phone_kind(kind: str) -> str:
    try:
        return PhoneKind(kind).value
    except ValueError:
        raise ValidationFailed("Phone kind is mobile, home or work.", field="phone_kind") from None
