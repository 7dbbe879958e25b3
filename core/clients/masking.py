"""S5 on what a card shows: phones, e-mails and the place of residence, each masked on its own
(`core.admin.rules.effective_access` decides which for whom). A masked phone keeps its id, so
"Call" and SMS by phone id still work."""

from __future__ import annotations

from core.access.rules import mask_email, mask_phone, phone_tail
from core.clients.models import ClientCard, ClientSummary, HistoryEntry

MASKED_PLACE = "***"  # a masked region or town


def place(shown: ClientCard | ClientSummary) -> dict[str, object]:
    """The region and town replaced (the ids stay: they name reference data, not the client)."""
    return {"region": MASKED_PLACE if shown.region else None, "town": MASKED_PLACE if shown.town else None}


def summary(shown: ClientSummary, phone: bool, country: bool) -> ClientSummary:
    """A summary in a list: its phones as their tails (`phone`), the place hidden (`country`)."""
    update: dict[str, object] = {}
    if phone:
        update["phones"] = [phone_tail(p) for p in shown.phones]
    if country:
        update.update(place(shown))
    return shown.model_copy(update=update) if update else shown


def entry(item: HistoryEntry) -> HistoryEntry:
    return item if item.phone is None else item.model_copy(update={"phone": mask_phone(item.phone)})


def card_update(card: ClientCard, masked: set[str]) -> dict[str, object]:
    """The fields of `card` to replace for the masked fields ("phone", "email", "country")."""
    update: dict[str, object] = {}
    phones, emails = "phone" in masked, "email" in masked
    if phones:
        update["phones"] = [p.model_copy(update={"number": mask_phone(p.number), "masked": True}) for p in card.phones]
        update["history"] = [entry(h) for h in card.history]
    if emails:
        update["emails"] = [
            e.model_copy(update={"address": mask_email(e.address), "masked": True}) for e in card.emails
        ]
    if phones or emails:
        update["changes"] = [
            c.model_copy(update={"old": value(c.field, c.old), "new": value(c.field, c.new)})
            if (c.field.startswith("phone") and phones) or (c.field.startswith("email") and emails)
            else c
            for c in card.changes
        ]
    if "country" in masked:
        update.update(place(card))
    return update


def value(field: str, text: str | None) -> str | None:
    """An audited old or new value of a contact field, masked."""
    if text is None:
        return None
    if field == "phone":
        return mask_phone(text)
    if field == "phone_status":  # "+79123456789 struck"
        number, _, status = text.rpartition(" ")
        return f"{mask_phone(number)} {status}"
    if field == "email":
        return mask_email(text)
    return text
