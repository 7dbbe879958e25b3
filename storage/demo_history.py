"""The history of a demo client: calls with their results and call-list state, SMS, comments,
office visits (K8-K12, O3), for the demo builder."""

from __future__ import annotations

import re
from bisect import bisect

from core.calls.rules import MAX_ATTEMPTS
from core.calls.rules import RETRY_FIRST as _RETRY_FIRST
from core.calls.rules import RETRY_NEXT as _RETRY_NEXT
from core.clients.card_rules import render_template
from core.work.rules import DATES_MOVED_BY
from storage import demo_data as D
from storage.demo_products import ProductMaker
from storage.demo_world import DAY, cum, stamp

RETRY_FIRST = int(_RETRY_FIRST.total_seconds())
RETRY_NEXT = int(_RETRY_NEXT.total_seconds())
LONG_HISTORY = 500  # entries of each "long history" client
RESULT_CODES, RESULT_CUM = cum(D.CALL_RESULTS)


class HistoryMaker(ProductMaker):
    """Base of `PeopleMaker`: writes a client's contact history and call-list membership."""

    office_offset: dict[int, int]  # office id -> seconds ahead of UTC
    callback_template: tuple[str, str, str]
    dates: dict[str, int]  # the client being made: its derived dates by column (0: none)

    def entry(self, rows, cid, kind, at, ended=None, campaign=None, result=None, reason=None, comment=None,
               employee=None, phone=None, office=None, visit=None, next_at=None) -> int:  # fmt: skip
        contact_id = self.n.contact
        self.n.contact += 1
        dates = self.dates  # the client's derived dates (M5): what `storage.activity.touch` moves
        for name in DATES_MOVED_BY.get(kind, ()):
            if at > dates[name]:
                dates[name] = at
        rows["contact"].append(
            (
                contact_id, cid, kind, stamp(at), stamp(ended) if ended else None, campaign, result, reason, comment,
                employee, phone, office, stamp(visit) if visit else None, stamp(next_at) if next_at else None,
            )
        )  # fmt: skip
        return contact_id

    def _sms(self, rows, cid, at, to, text, purpose, template, name, employee) -> None:  # type: ignore[no-untyped-def]
        self.entry(rows, cid, "sms", at, result=name, comment=text, employee=employee, phone=to)
        rows["sms_outbox"].append(
            (self.n.sms_outbox, to, text, "sent", purpose, stamp(at), None, stamp(at + 3), cid, employee, template)
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
                    (member[0], cid, member[2], stamp(member[3]) if member[3] else None, member[4],
                     stamp(member[5]) if member[5] else None)
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
        local = stamp(visit + self.office_offset.get(office, 3 * 3600))  # YYYY-MM-DD HH:MM:SS...
        if phone and visit - DAY < now:
            text = D.VISIT_TEXT.format(
                first_name=first, patronymic=patr, date=f"{local[8:10]}.{local[5:7]}.{local[:4]}", time=local[11:16],
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


_SHAPES: dict[str, str] = {}  # template text -> rendered with a mark in place of each name
_PLAIN = re.compile(r"[^\s,.!?]+")  # a name render_template's space and punctuation rules cannot touch


def _fill(text: str, first: str, patr: str) -> str:
    """`render_template(text, {first_name, patronymic})`: the same text, the template's regular
    expressions run once per template (they were a tenth of making the rows), not once per SMS."""
    if not (_PLAIN.fullmatch(first) and _PLAIN.fullmatch(patr)):
        return render_template(text, {"first_name": first, "patronymic": patr})
    shape = _SHAPES.get(text)
    if shape is None:
        shape = _SHAPES[text] = render_template(text, {"first_name": "\x00", "patronymic": "\x01"})
    return shape.replace("\x00", first).replace("\x01", patr)
