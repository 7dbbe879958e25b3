"""Rules of the client card: who may edit which block (S6, S7), what a valid value is,
and which fields changed (C10)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from core.access.rules import Permission
from core.digits import ascii_digits, is_digits
from core.errors import ValidationFailed
from core.vocab import ClientType, StrikeReason

# S7: personal data may be edited only on cards that came from these sources.
PERSONAL_EDITABLE_TYPES = frozenset(
    {ClientType.INTERNET, ClientType.INTERESTED, ClientType.RECOMMENDED, ClientType.ONLINE_CHAT}
)

_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
MIN_AGE, MAX_AGE = 14, 120


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str | None = None


def personal_edit_verdict(client_type: str, permissions: frozenset[str] | set[str]) -> Verdict:
    if Permission.EDIT_PERSONAL not in permissions:
        return Verdict(False, "Your role may not edit personal data.")
    if ClientType(client_type) not in PERSONAL_EDITABLE_TYPES:
        label = ClientType(client_type).label
        return Verdict(False, f"Personal data of a card of type '{label}' cannot be changed.")
    return Verdict(True)


def contacts_edit_verdict(permissions: frozenset[str] | set[str], masked: Collection[str]) -> Verdict:
    """S5, S6: the contact block is edited with its phones and e-mails in view. `masked` is what the
    employee's effective masking hides (their own masks over the role's), not the role's permission."""
    if Permission.EDIT_CONTACTS not in permissions:
        return Verdict(False, "Your role may not edit contact data.")
    if "phone" in masked or "email" in masked:
        return Verdict(False, "Contact data is masked for you; ask a supervisor to change it.")
    return Verdict(True)


def clean_name_part(value: str, field: str, required: bool = True) -> str:
    text = " ".join(value.split())
    if not text:
        if required:
            raise ValidationFailed(f"{field.replace('_', ' ').capitalize()} is required.", field=field)
        return ""
    if not _NAME_RE.match(text) or len(text) > 60:
        raise ValidationFailed(
            f"{field.replace('_', ' ').capitalize()} may hold letters, spaces, hyphens only.", field=field
        )
    return text[0].upper() + text[1:]


def check_birth_date(value: date | None, today: date) -> date | None:
    if value is None:
        return None
    if value > today:
        raise ValidationFailed("Birth date is in the future.", field="birth_date")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < MIN_AGE or age > MAX_AGE:
        raise ValidationFailed(
            f"Birth date gives an age of {age}; expected {MIN_AGE} to {MAX_AGE}.", field="birth_date"
        )
    return value


def clean_passport(series: str | None, number: str | None) -> tuple[str | None, str | None]:
    """Russian internal passport: series of 4 digits, number of 6 digits; both or neither."""
    s = "".join(ascii_digits(series or "").split())
    n = "".join(ascii_digits(number or "").split())
    if not s and not n:
        return None, None
    if not (is_digits(s) and len(s) == 4):
        raise ValidationFailed("Passport series is 4 digits.", field="passport_series")
    if not (is_digits(n) and len(n) == 6):
        raise ValidationFailed("Passport number is 6 digits.", field="passport_number")
    return s, n


def passport_key(series: str | None, number: str | None) -> str | None:
    return f"{series}{number}" if series and number else None


def clean_email(value: str) -> str:
    text = value.strip()
    if not _EMAIL_RE.match(text):
        raise ValidationFailed(f"'{text}' is not a valid e-mail address.", field="email")
    return text


def email_key(address: str) -> str:
    return address.strip().casefold()


def check_strike_reason(reason: str) -> StrikeReason:
    try:
        return StrikeReason(reason)
    except ValueError:
        allowed = ", ".join(r.label for r in StrikeReason)
        raise ValidationFailed(f"Choose a reason: {allowed}.", field="reason") from None


def changed_fields(old: dict[str, object], new: dict[str, object]) -> list[tuple[str, object, object]]:
    """(field, old, new) for every key whose value differs, in the order of `new`."""
    return [(key, old.get(key), value) for key, value in new.items() if old.get(key) != value]


def render_template(text: str, fields: dict[str, str]) -> str:
    """Fill `{first_name}`-style fields; unknown fields stay as written."""

    def sub(match: re.Match[str]) -> str:
        return fields.get(match.group(1), match.group(0))

    filled = re.sub(r"\{([a-z_.]+)\}", sub, text)
    # An empty field (no patronymic) must not leave "Иван , ..." behind.
    return re.sub(r" +([,.!?])", r"\1", re.sub(r" {2,}", " ", filled)).strip()


# --- texts sent to a client -----------------------------------------------------------------------
# A client reads texts in the client's language, whatever the operator's interface language.
CLIENT_LANGUAGES = ("ru", "en")
DEFAULT_CLIENT_LANGUAGE = "ru"  # a Russian bank's clients


def client_language(language: str | None) -> str:
    return language if language in CLIENT_LANGUAGES else DEFAULT_CLIENT_LANGUAGE


def client_text(texts: Mapping[str, str], language: str | None, fallback: str = "") -> str:
    """The text for a client: in the client's language, else Russian, else `fallback`."""
    return texts.get(client_language(language)) or texts.get(DEFAULT_CLIENT_LANGUAGE) or fallback
