"""Demo clients and their history, made in batches of plain tuples with one seeded `random.Random`.

Speed matters (a million clients in minutes): names come from Faker's ru_RU lists read once, their
search keys are folded once per list entry, times are integer seconds until the row is made, and
no phonenumbers call is made per row (operator codes are valid by construction).
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from faker.providers.person.ru_RU import Provider as RuNames

from core.calls.rules import MAX_ATTEMPTS
from core.calls.rules import RETRY_FIRST as _RETRY_FIRST
from core.calls.rules import RETRY_NEXT as _RETRY_NEXT
from core.clients.card_rules import render_template
from core.clients.names import latin_key, name_key
from core.vocab import StrikeReason
from storage import demo_data as D
from storage.demo_load import COLUMNS
from storage.demo_products import DAY, ProductMaker, cum, dt

RETRY_FIRST = int(_RETRY_FIRST.total_seconds())
RETRY_NEXT = int(_RETRY_NEXT.total_seconds())

LONG_HISTORY = 500  # entries of each "long history" client


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
RESULT_CODES, RESULT_CUM = cum(D.CALL_RESULTS)
STRIKE_LABELS = [(r.value, r.label) for r in StrikeReason]


@dataclass
class World:
    """Ids of what exists before the clients are made, and the instant the demo is built at."""

    now_ts: int
    first_client_id: int
    desk_ids: list[int]  # [Main desk, second desk]
    towns: list[tuple[int, int, str, str]]  # (town id, region id, town, region)
    town_cum: list[float]
    responsible: list[list[int]]  # employee ids per desk index
    office_employee: int
    campaigns: list[tuple[int, list[int]]]  # (campaign id, offered product ids), per desk index in by_desk
    campaigns_by_desk: list[list[int]]  # indices into `campaigns`
    offices_by_town: dict[int, list[tuple[int, str, int]]]  # town id -> (office id, address, utc offset)
    offices_by_region: dict[int, list[tuple[int, str, int]]]
    all_offices: list[tuple[int, str, int]]
    products: dict[str, tuple[int, str, bool]]  # code -> (id, category, is card)
    templates: list[tuple[str, str, str]]  # (code, name, text) of client SMS templates


@dataclass
class Batch:
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in COLUMNS})


@dataclass
class Counters:
    phone: int = 1
    email: int = 1
    contact: int = 1
    client_product: int = 1
    card_transaction: int = 1
    contact_change: int = 1
    sms_outbox: int = 1


class PeopleMaker(ProductMaker):
    """Makes clients with their phones, products and history; one instance per build."""

    def __init__(self, rng: random.Random, world: World, counters: Counters) -> None:
        self.rng = rng
        self.w = world
        self.n = counters
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

    def _client(self, cid: int, rows: dict[str, list[tuple]], long: bool) -> None:
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
        birth = date.fromordinal(date(1970, 1, 1).toordinal() + now // DAY - rng.randint(18 * 365 + 5, 80 * 365))
        ctype = CLIENT_TYPE_CODES[bisect(CLIENT_TYPE_CUM, rng.randrange(CLIENT_TYPE_CUM[-1]))]
        x = rnd()
        if ctype in ("client", "front_office"):
            lifecycle = "live" if x < 0.7 else "demo" if x < 0.9 else "lead"
        else:
            lifecycle = "lead" if x < 0.65 else "demo" if x < 0.9 else "live"
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
        dnd = self._history(cid, rows, created, desk, responsible, numbers, names, town_id, region_id, long)
        self._products(cid, rows, created, rng.randint(0, 3) if ctype in ("client", "front_office") else 0)

        for at, fld, old, new, why, comment in changes:
            rows["contact_change"].append(
                (self.n.contact_change, cid, dt(at), fld, old, new, why, rng.choice(w.responsible[desk]), comment)
            )
            self.n.contact_change += 1
        rows["client"].append(
            (
                cid, sur[0], first[0], patr[0], f"{sur[1]} {first[1]} {patr[1]}", f"{sur[2]} {first[2]} {patr[2]}",
                birth, ctype, lifecycle, region_id, town_id, series, number, pkey, w.desk_ids[desk], responsible,
                referrer, dnd, duplicate, dt(created), 1, 1 + len(changes),
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

    # --- history --------------------------------------------------------------------------

    def entry(self, rows, cid, kind, at, ended=None, campaign=None, result=None, reason=None, comment=None,
               employee=None, phone=None, office=None, visit=None, next_at=None) -> int:  # fmt: skip
        contact_id = self.n.contact
        self.n.contact += 1
        rows["contact"].append(
            (
                contact_id, cid, kind, dt(at), dt(ended) if ended else None, campaign, result, reason, comment,
                employee, phone, office, dt(visit) if visit else None, dt(next_at) if next_at else None,
            )
        )  # fmt: skip
        return contact_id

    def _sms(self, rows, cid, at, to, text, purpose, template, name, employee) -> None:  # type: ignore[no-untyped-def]
        self.entry(rows, cid, "sms", at, result=name, comment=text, employee=employee, phone=to)
        rows["sms_outbox"].append(
            (self.n.sms_outbox, to, text, "sent", purpose, dt(at), None, dt(at + 3), cid, employee, template)
        )
        self.n.sms_outbox += 1

    def _history(self, cid, rows, created, desk, responsible, numbers, names, town_id, region_id, long) -> bool:  # type: ignore[no-untyped-def]
        rng, w = self.rng, self.w
        rnd = rng.random
        now = w.now_ts
        first, patr = names
        self.entry(rows, cid, "status", created, result="created", employee=responsible)
        if long:
            n_calls, n_sms, n_comments = LONG_HISTORY * 8 // 10, LONG_HISTORY // 10, LONG_HISTORY // 10 - 1
        else:
            x = rnd()
            n_calls = 0 if x < 0.2 else 1 if x < 0.5 else 2 if x < 0.75 else 3 if x < 0.9 else 4 if x < 0.97 else 6
            n_sms = 1 if rnd() < 0.15 else 0
            n_comments = 1 if rnd() < 0.15 else 0
        span_days = max(1, (now - created) // DAY)
        day0 = created - created % DAY
        times = sorted(day0 + rng.randrange(span_days) * DAY + 21_600 + rng.randrange(39_600) for _ in range(n_calls))
        own = w.campaigns_by_desk[desk]
        usual = rng.choice(own)
        members: dict[int, list] = {}
        dnd = False
        phone = numbers[0] if numbers else None
        for at in times:
            if at <= created:
                at = created + 600
            if at >= now or dnd:
                break
            ci = usual if rnd() < 0.8 else rng.choice(own)
            campaign_id, offered = w.campaigns[ci]
            employee = responsible if rnd() < 0.7 else rng.choice(w.responsible[desk])
            result = RESULT_CODES[bisect(RESULT_CUM, rng.randrange(RESULT_CUM[-1]))]
            if long and result == "do_not_disturb":
                result = "think"  # a long history goes on
            reason = next_at = office = visit = None
            comment = rng.choice(D.CALL_COMMENTS) if rnd() < 0.1 else None
            products: list[int] = []
            if result == "not_reached":
                reason = rng.choice(D.NOT_REACHED_REASONS)
                ended = at + rng.randint(5, 40)
            elif result == "call_dropped":
                ended = at + rng.randint(10, 90)
            else:
                ended = at + rng.randint(30, 600)
                if result == "callback":
                    reason = rng.choice(D.CALLBACK_REASONS)
                    next_at = ended + (DAY if rnd() < 0.5 else rng.randint(2 * 3600, 3 * DAY))
                elif result == "non_target":
                    reason = rng.choice(D.NON_TARGET_REASONS)
                elif result == "think":
                    next_at = ended + 14 * DAY
                    products = offered[:1]
                elif result == "refused":
                    reason = rng.choice(D.REFUSED_REASONS)
                    products = offered[:1]
                elif result == "do_not_disturb":
                    reason = rng.choice(D.DND_REASONS)
                    dnd = True
                elif result == "agreed":
                    products = offered[: rng.randint(1, len(offered))]
                    if self.product_by_id[offered[0]][2] and rnd() < 0.4:  # K10: a card product
                        result, reason = "card_product", rng.choice(D.CARD_DELIVERY)
                    if reason in (None, "self_pickup"):
                        office, address, offset = self._office(town_id, region_id)
                        day = at - at % DAY + rng.randint(1, 7) * DAY
                        visit = day + (rng.randint(20, 36) * 1800) - offset * 3600  # 10:00-18:00 local
            contact_id = self.entry(
                rows, cid, "call", at, ended, campaign_id, result, reason, comment, employee, phone, office, visit,
                next_at,
            )  # fmt: skip
            for product_id in products:
                rows["contact_product"].append((contact_id, product_id))
            member = members.setdefault(campaign_id, [campaign_id, cid, "new", None, 0, None])
            member[5] = ended
            if result in ("not_reached", "call_dropped"):  # core.calls.rules.follow_up, in integer seconds
                member[4] += 1  # unreached attempts in a row
                if member[4] >= MAX_ATTEMPTS:
                    member[2], member[3] = "exhausted", None
                else:
                    delay = RETRY_FIRST if member[4] == 1 else RETRY_NEXT
                    member[2], member[3] = "retry", ended + delay
            else:
                member[4] = 0
                member[2], member[3] = ("callback", next_at) if next_at else ("done", None)
            if result == "not_reached" and phone and rnd() < 0.4:
                code, name, text = self.callback_template
                self._sms(rows, cid, ended + 30, phone, _fill(text, first, patr), "client", code, name, employee)
            if visit:
                self._after_agreed(rows, cid, at, visit, office, address, campaign_id, products, employee, phone, names)
        for _ in range(n_sms):
            at = rng.randint(created + 60, now - 60)
            code, name, text = rng.choice(w.templates)
            if phone:
                self._sms(rows, cid, at, phone, _fill(text, first, patr), "client", code, name, responsible)
        for _ in range(n_comments):
            at = rng.randint(created + 60, now - 60)
            self.entry(rows, cid, "comment", at, comment=rng.choice(D.CARD_COMMENTS), employee=responsible)
        if not dnd:
            for member in members.values():
                if member[3] and member[3] < now - 60 * DAY:  # a call-back long lapsed: back in the list
                    member[2], member[3] = "new", None
            if not members and rnd() < 0.15:
                members[0] = [w.campaigns[usual][0], cid, "new", None, 0, None]
            for member in members.values():
                rows["campaign_member"].append(
                    (member[0], cid, member[2], dt(member[3]) if member[3] else None, member[4],
                     dt(member[5]) if member[5] else None)
                )  # fmt: skip
        return dnd

    def _office(self, town_id: int, region_id: int) -> tuple[int, str, int]:
        w = self.w
        choices = w.offices_by_town.get(town_id) or w.offices_by_region.get(region_id) or w.all_offices
        return self.rng.choice(choices)

    def _after_agreed(self, rows, cid, at, visit, office, address, campaign, products, employee, phone, names) -> None:  # type: ignore[no-untyped-def]
        """The visit SMS (O3), a consultation call (K12) and the office visit itself."""
        rng, now = self.rng, self.w.now_ts
        first, patr = names
        local = dt(visit + self.office_offset.get(office, 3 * 3600))
        if phone and visit - DAY < now:
            text = D.VISIT_TEXT.format(
                first_name=first, patronymic=patr, date=local.strftime("%d.%m.%Y"), time=local.strftime("%H:%M"),
                address=address,
            )  # fmt: skip
            self._sms(rows, cid, max(at + 120, visit - DAY), phone, text, "visit", None, "Visit invitation", employee)
        if rng.random() < 0.3:
            when = at + rng.randint(1, 10) * DAY
            if when < now:
                self.entry(rows, cid, "call", when, when + rng.randint(60, 400), campaign, "consultation",
                            employee=employee, phone=phone)  # fmt: skip
        if visit < now and rng.random() < 0.65:
            self.entry(rows, cid, "visit", visit, visit + rng.randint(900, 3600), campaign, "visited",
                        employee=self.w.office_employee, office=office)  # fmt: skip
            if products and rng.random() < 0.5:
                self._open(rows, cid, products[0], visit // DAY, None)


def _fill(text: str, first: str, patr: str) -> str:
    return render_template(text, {"first_name": first, "patronymic": patr})
