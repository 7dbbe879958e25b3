"""How values look on screen: dates in the operator's time zone, money, phones, vocabulary labels.

Nothing here fetches anything: masked values stay masked (`+7 ••• •••-••-89`, core.access).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

from rich.cells import cell_len, set_cell_size

from core.access.rules import MASK, is_masked_phone
from core.vocab import CLIENT_TYPE_LABELS, PRODUCT_CATEGORY_LABELS, STRIKE_REASON_LABELS
from tui.i18n import N_, _

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

CONTACT_KINDS = {
    "call": N_("Phone call"),
    "sms": N_("SMS"),
    "visit": N_("Office visit"),
    "comment": N_("Comment"),
    "status": N_("Status"),
    "automation": N_("Automation"),  # M8: a rule fired (core.automation)
}
PHONE_KINDS = {"mobile": N_("Mobile"), "home": N_("Home"), "work": N_("Work")}
PHONE_KINDS_SHORT = {"mobile": N_("mob."), "home": N_("home"), "work": N_("work")}  # narrow columns
PHONE_STATUSES = {"active": N_("In use"), "struck": N_("Struck out")}
LIFECYCLES = {"lead": N_("Lead"), "demo": N_("Demo"), "live": N_("Live")}
TRANSACTION_KINDS = {"deposit": N_("Top-up"), "purchase": N_("Purchase")}
CHANGE_FIELDS = {
    "surname": N_("Surname"),
    "first_name": N_("First name"),
    "patronymic": N_("Patronymic"),
    "birth_date": N_("Birth date"),
    "region": N_("Region"),
    "town": N_("Town"),
    "phone": N_("Phone"),
    "phone_status": N_("Phone status"),
    "email": N_("E-mail"),
}
RESULTS = {
    "created": N_("Card created"),
    "visited": N_("Visited the office"),
    "handed_over": N_("Handed over"),
    "merged": N_("Cards merged"),
}  # besides core.calls.results


def label(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return _(table.get(code, code))


def client_type(code: str) -> str:
    labels = {str(k): v for k, v in CLIENT_TYPE_LABELS.items()}
    return _(labels.get(code, code))


def strike_reason(code: str | None) -> str:
    labels = {str(k): v for k, v in STRIKE_REASON_LABELS.items()}
    return _(labels.get(code, code)) if code else ""


def product_category(code: str) -> str:
    labels = {str(k): v for k, v in PRODUCT_CATEGORY_LABELS.items()}
    return _(labels.get(code, code))


def short_name(full_name: str | None, width: int | None = None) -> str:
    """`Смирнова Ольга Петровна` -> `Смирнова О. П.`: an employee in a narrow column; within
    `width` the later initials go first (`Смирнова О.`), then the cut is marked (`fit`)."""
    if not full_name:
        return ""
    surname, *rest = full_name.split()
    initials = [f"{name[0]}." for name in rest if name]
    for keep in range(len(initials), -1, -1):
        text = " ".join([surname, *initials[:keep]])
        if width is None or cell_len(text) <= width:
            return text
    return text


ELLIPSIS = "…"
PLAIN_ELLIPSIS = "~"  # plain mode: ASCII


def fit(text: str, width: int, plain: bool = False) -> str:
    """The text whole when it fits `width` cells, else cut with a mark at its end ("…"; "~" plain)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + (PLAIN_ELLIPSIS if plain else ELLIPSIS)


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def moment(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:  # stores return naive UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def clock_line(now: datetime, zone: tzinfo) -> str:
    """S2: date, weekday and time, e.g. `Mon 10.03.2025 12:00:05`."""
    local = now.astimezone(zone)
    return f"{_(WEEKDAYS[local.weekday()])} {local:%d.%m.%Y %H:%M:%S}"


def money(amount: Decimal | None, currency: str = "RUB") -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f}".replace(",", " ") + f" {currency}"


def listed_phone(number: str, plain: bool = False) -> str:
    """A phone in a list of clients: the number, or masked for this employee (S5, `**89` from
    core.access.rules.phone_tail) "Call …89": the row dials by the phone's id. Plain: "Call ..89"."""
    if not is_masked_phone(number):
        return phone(number)
    text = _("Call …{digits}").format(digits=number.replace(MASK, ""))
    return text.replace("…", "..") if plain else text


def phone(number: str | None, masked: bool = False) -> str:
    """A number as operators read it; masked for this employee (S5) it reads `+7 ••• •••-••-89`
    (the server masks; the line filter of plain mode draws `*`)."""
    if not number:
        return ""
    if masked or is_masked_phone(number):
        return number.replace(MASK, "•") if is_masked_phone(number) else _("hidden number")
    from core.clients.phones import format_phone

    return format_phone(number)


def duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def age(birth: date | None, today: date) -> str:
    if birth is None:
        return ""
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return str(years)


def campaign(name: str, script_name: str | None = "") -> str:
    """A campaign as operators know it: in the Russian console the script's own (Russian) name
    where it has one, else the campaign's name."""
    from tui.i18n import language

    return script_name if script_name and language() == "ru" else name


def result(code: str | None) -> str:
    """A call result code (core.calls.results catalogue) or another history result, translated."""
    if not code:
        return ""
    if code in RESULTS:
        return _(RESULTS[code])
    from core.calls.catalogue import catalogue

    found = catalogue().get(code)
    return _(found.label) if found else _(code)


def reason(result_code: str | None, code: str | None) -> str:
    """The label of a result's reason code, translated (free text stays as written)."""
    if not code:
        return ""
    from core.calls.catalogue import catalogue

    found = catalogue().get(result_code or "")
    known = found.reason(code) if found else None
    return _(known.label) if known else _(code)


def change_value(field: str, value: str | None) -> str:
    if value is None:
        return ""
    if field == "phone_status":  # "+79123456789 struck" (or only the status)
        number, _sep, status = value.rpartition(" ")
        state = label(PHONE_STATUSES, status)
        return f"{phone(number)}: {state}" if number else state
    if field == "phone":
        return phone(value)
    if field == "birth_date" and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return value


def parse_day(text: str) -> date | None:
    """`17.05.1980`, `17/05/1980` or `1980-05-17`; empty -> None; anything else -> ValueError."""
    raw = text.strip()
    if not raw:
        return None
    if len(raw) == 10 and raw[4] == "-":
        return date.fromisoformat(raw)
    for sep in ".,/-":
        parts = raw.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            d, m, y = (int(p) for p in parts)
            if y < 100:
                raise ValueError("two-digit year")
            return date(y, m, d)
    raise ValueError(raw)
