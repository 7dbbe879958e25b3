"""Demo clients and their history, made in batches of plain tuples with one seeded `random.Random`.

Speed matters (making the rows is most of a build's time): names come from Faker's ru_RU lists
read once, their search keys are folded once per list entry, times are integer seconds until the
row is made (`storage.demo_world.stamp`), and no phonenumbers call is made per row (operator codes
are valid by construction). The history is `storage.demo_history`, the products
`storage.demo_products`; both build on `storage.demo_world` and none imports this module.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from faker.providers.person.ru_RU import Provider as RuNames

from core.clients.names import latin_key, name_key
from core.vocab import StrikeReason
from core.work.rules import DATES_MOVED_BY
from storage import demo_data as D
from storage.demo_history import HistoryMaker
from storage.demo_load import COLUMNS
from storage.demo_world import DAY, Counters, Rows, World, cum, day_text, stamp


def _names(values: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(name, folded key, latin key) for each entry, computed once."""
    out = []
    for value in values:
        key = name_key(value, "")
        out.append((value, key, latin_key(key)))
    return out


SURNAMES_M = _names(RuNames.last_names_male)
SURNAMES_F = _names(RuNames.last_names_female)  # the same order as the male list
FIRST_M = _names(RuNames.first_names_male)
FIRST_F = _names(RuNames.first_names_female)
PATRONYMIC_M = _names(RuNames.middle_names_male)
PATRONYMIC_F = _names(RuNames.middle_names_female)
# Common surnames first in Faker's list: a gentle Zipf-like skew, as in real life.
SURNAME_CUM = list(accumulate(1.0 / (rank + 8) for rank in range(len(SURNAMES_M))))
# Names common today get more weight than the list's archaic ones.
_COMMON_M = {"Александр", "Алексей", "Андрей", "Дмитрий", "Сергей", "Иван", "Михаил", "Владимир", "Николай", "Евгений"}
FIRST_M_CUM = list(accumulate(12.0 if n in _COMMON_M else 1.0 for n, _, _ in FIRST_M))
_COMMON_F = {"Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Мария", "Екатерина", "Светлана", "Юлия"}
FIRST_F_CUM = list(accumulate(6.0 if n in _COMMON_F else 1.0 for n, _, _ in FIRST_F))


def pick(rng: random.Random, names: list[tuple[str, str, str]], weights: list[float]) -> tuple[str, str, str]:
    """A weighted choice by cumulative weights (`random.choices` without its per-call set-up)."""
    return names[bisect(weights, rng.random() * weights[-1])]


CLIENT_TYPE_CODES, CLIENT_TYPE_CUM = cum(D.CLIENT_TYPES)
STRIKE_LABELS = [(r.value, r.label) for r in StrikeReason]


# the client's derived dates (M5), in the order of its row's last columns (storage.demo_load.COLUMNS)
_DATE_COLUMNS = tuple(c for c in COLUMNS["client"] if any(c in moved for moved in DATES_MOVED_BY.values()))


def _no_dates() -> dict[str, int]:
    return dict.fromkeys(_DATE_COLUMNS, 0)


@dataclass
class Batch:
    rows: Rows = field(default_factory=lambda: {name: [] for name in COLUMNS})


class PeopleMaker(HistoryMaker):
    """Makes clients with their phones, products and history; one instance per build."""

    def __init__(self, rng: random.Random, world: World, counters: Counters) -> None:
        self.rng = rng
        self.w = world
        self.n = counters
        self.dates = _no_dates()
        self.recent_phones: list[str] = []  # a window of numbers to share between cards (duplicates)
        self.recent_passports: list[tuple[str, str]] = []
        self.town_clients: dict[int, list[int]] = {}  # a sample of clients per town (bookings)
        self.product_by_id = {v[0]: (code, v[1], v[2]) for code, v in world.products.items()}
        self.office_offset = {oid: offset * 3600 for oid, _address, offset in world.all_offices}
        templates = {t[0]: t for t in world.templates}
        self.callback_template = templates.get("callback", world.templates[0])

    # --- one client -----------------------------------------------------------------------

    def batch(self, first_id: int, count: int, long_ids: frozenset[int]) -> Batch:
        out = Batch()
        for client_id in range(first_id, first_id + count):
            self._client(client_id, out.rows, client_id in long_ids)
        return out

    def _client(self, cid: int, rows: Rows, long: bool) -> None:
        rng, w = self.rng, self.w
        rnd = rng.random
        male = rnd() < 0.46
        si = bisect(SURNAME_CUM, rnd() * SURNAME_CUM[-1])
        if male:
            sur = SURNAMES_M[si]
            first = pick(rng, FIRST_M, FIRST_M_CUM)
            patr = PATRONYMIC_M[rng.randrange(len(PATRONYMIC_M))]
        else:
            sur = SURNAMES_F[si]
            first = pick(rng, FIRST_F, FIRST_F_CUM)
            patr = PATRONYMIC_F[rng.randrange(len(PATRONYMIC_F))]
        now = w.now_ts
        birth = day_text(now // DAY - rng.randint(18 * 365 + 5, 80 * 365))
        ctype = CLIENT_TYPE_CODES[bisect(CLIENT_TYPE_CUM, rng.randrange(CLIENT_TYPE_CUM[-1]))]
        rnd()  # kept: the draws after it stay the same for the same seed
        lifecycle = "lead"  # the bank's clients carry no broker lifecycle (C13: the Forex desk's only)
        town_id, region_id, _town, region = w.towns[bisect(w.town_cum, rnd() * w.town_cum[-1])]
        duplicate = False
        series = number = pkey = None
        if rnd() < 0.8:
            if self.recent_passports and rnd() < 0.002:
                series, number = rng.choice(self.recent_passports)
                duplicate = True
            else:
                series, number = f"{rng.randint(1, 99):02d}{rng.randint(0, 25):02d}", f"{rng.randrange(10**6):06d}"
                if len(self.recent_passports) < 5000:
                    self.recent_passports.append((series, number))
                else:
                    self.recent_passports[rng.randrange(5000)] = (series, number)
            pkey = series + number
        desk = 1 if rnd() < 0.25 else 0
        responsible = rng.choice(w.responsible[desk])
        created = now - (rng.randint(DAY, 3 * 365 * DAY) if not long else 3 * 365 * DAY)
        referrer = None
        if ctype == "recommended" and cid > w.first_client_id and rnd() < 0.5:
            referrer = rng.randint(w.first_client_id, cid - 1)
        towns = self.town_clients.setdefault(town_id, [])
        if len(towns) < 400:
            towns.append(cid)

        # phones: the first is an active mobile; further ones may be landlines or struck
        phones = rows["phone"]
        numbers: list[str] = []
        changes: list[tuple] = []
        count = 1 if rnd() < 0.62 else 2 if rnd() < 0.75 else 3
        for k in range(count):
            if k == 0 and self.recent_phones and rnd() < 0.005:
                e164 = rng.choice(self.recent_phones)
                duplicate = True
            else:
                e164 = self._number(region, "mobile" if k == 0 else None)
            kind = "mobile" if k == 0 or e164[2] == "9" else ("home" if rnd() < 0.6 else "work")
            status, reason = "active", None
            if k > 0 and rnd() < 0.12:
                status, reason = "struck", STRIKE_LABELS[rng.randrange(len(STRIKE_LABELS))]
                at = rng.randint(created, now)
                changes.append((at, "phone_status", "active", "struck", reason[1], None))
                reason = reason[0]
            elif k > 0 and rnd() < 0.3:
                changes.append((rng.randint(created, now), "phone", None, e164, D.CHANGE_REASONS[0], None))
            phones.append((self.n.phone, cid, e164, kind, status, reason))
            self.n.phone += 1
            if status == "active":
                numbers.append(e164)
        if rnd() < 0.02 or len(self.recent_phones) < 50:
            self._remember_phone(numbers[0])

        if rnd() < 0.3:
            address = self._email(first[2], sur[2])
            rows["email"].append((self.n.email, cid, address, address.casefold()))
            self.n.email += 1
            if rnd() < 0.2:
                changes.append((rng.randint(created, now), "email", None, address, rng.choice(D.CHANGE_REASONS), None))

        names = (first[0], patr[0])
        self.dates = dates = _no_dates()
        dnd = self._history(cid, rows, created, desk, responsible, numbers, names, town_id, region_id, long)
        self._products(cid, rows, created, rng.randint(0, 3) if ctype in ("client", "front_office") else 0)

        for at, fld, old, new, why, comment in changes:
            rows["contact_change"].append(
                (self.n.contact_change, cid, stamp(at), fld, old, new, why, rng.choice(w.responsible[desk]), comment)
            )
            self.n.contact_change += 1
        rows["client"].append(
            (
                cid, sur[0], first[0], patr[0], f"{sur[1]} {first[1]} {patr[1]}", f"{sur[2]} {first[2]} {patr[2]}",
                birth, ctype, lifecycle, region_id, town_id, series, number, pkey, w.desk_ids[desk], responsible,
                referrer, dnd, duplicate, stamp(created), 1, 1 + len(changes),
                *(stamp(dates[name]) if dates[name] else None for name in _DATE_COLUMNS),
            )
        )  # fmt: skip

    def _remember_phone(self, e164: str) -> None:
        if len(self.recent_phones) < 2000:
            self.recent_phones.append(e164)
        else:
            self.recent_phones[self.rng.randrange(2000)] = e164

    def _number(self, region: str, kind: str | None) -> str:
        rng = self.rng
        codes = D.AREA_CODES.get(region)
        if kind == "mobile" or not codes or rng.random() < 0.6:
            return f"+7{rng.choice(D.MOBILE_CODES)}{rng.randrange(10**7):07d}"
        code = rng.choice(codes)
        local = 10 - len(code)
        return f"+7{code}{rng.randint(2 * 10 ** (local - 1), 10**local - 1)}"

    def _email(self, first: str, sur: str) -> str:
        rng = self.rng
        style = rng.randrange(4)
        first = first.replace("'", "")
        if style == 0:
            local = f"{first}.{sur}"
        elif style == 1:
            local = f"{sur}{rng.randint(60, 99)}"
        elif style == 2:
            local = f"{first[0]}{sur}{rng.randint(1, 999)}"
        else:
            local = f"{first}_{sur[:4]}{rng.randint(1, 99)}"
        address = f"{local}@{rng.choice(D.EMAIL_DOMAINS)}"
        return address.title() if rng.random() < 0.08 else address  # mixed case shows the folded key
