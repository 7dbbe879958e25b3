"""Products clients hold (C6, C8) and the transactions of card products (C7), for the demo builder."""

from __future__ import annotations

import random
from bisect import bisect

from storage import demo_data as D
from storage.demo_world import DAY, Counters, Rows, World, cum, day_text, stamp

# product code -> (amount range in roubles, step); None = no amount.
AMOUNTS: dict[str, tuple[int, int, int] | None] = {
    "cash_loan": (50_000, 1_500_000, 1_000),
    "car_loan": (300_000, 3_000_000, 10_000),
    "mortgage": (2_000_000, 15_000_000, 50_000),
    "halva": (15_000, 300_000, 5_000),
    "credit_card": (15_000, 500_000, 5_000),
    "deposit_best": (10_000, 3_000_000, 1_000),
    "deposit_flex": (10_000, 1_500_000, 1_000),
    "savings": (1_000, 500_000, 100),
    "insurance_life": (5_000, 50_000, 500),
    "safe_box": (3_000, 12_000, 500),
    "transfer": (1_000, 100_000, 100),
    "credit_doctor": (2_990, 2_990, 1),
    "credit_doctor_plus": (9_990, 9_990, 1),
    "pension_club": None,
    "salary_project": None,
    "sme_account": None,
    "sme_loan": (100_000, 5_000_000, 10_000),
    "sme_acquiring": None,
}
HELD_PRODUCTS = [  # (code, weight) of products clients already hold
    ("cash_loan", 16), ("halva", 16), ("credit_card", 10), ("deposit_best", 10), ("deposit_flex", 6),
    ("savings", 10), ("insurance_life", 5), ("car_loan", 3), ("mortgage", 3), ("safe_box", 2),
    ("transfer", 4), ("credit_doctor", 3), ("credit_doctor_plus", 2), ("pension_club", 4),
    ("salary_project", 4), ("sme_account", 1), ("sme_loan", 1), ("sme_acquiring", 1),
]  # fmt: skip
HELD_CODES, HELD_CUM = cum(HELD_PRODUCTS)
CONTRACT_PREFIX = {"credit": "КД", "deposit": "ДВ", "commission": "ДО", "credit_doctor": "КД", "sme": "ЮЛ"}


class ProductMaker:
    """Base of `HistoryMaker` (and so of `PeopleMaker`): opens products with their amounts and card
    transactions."""

    rng: random.Random
    w: World
    n: Counters
    product_by_id: dict[int, tuple[str, str, bool]]

    def _products(self, cid: int, rows: Rows, created: int, count: int) -> None:
        rng = self.rng
        if count == 0 and rng.random() < 0.2:
            count = 1
        now_day = self.w.now_ts // DAY
        first_day = created // DAY - rng.randint(0, 900)
        for _ in range(count):
            code = HELD_CODES[bisect(HELD_CUM, rng.randrange(HELD_CUM[-1]))]
            product_id = self.w.products[code][0]
            opened = rng.randint(first_day, now_day - 1)
            closed = opened + rng.randint(90, 1000) if rng.random() < 0.3 else None
            self._open(rows, cid, product_id, opened, closed if closed and closed < now_day else None)

    def _open(self, rows: Rows, cid: int, product_id: int, opened: int, closed: int | None) -> None:
        rng = self.rng
        code, category, is_card = self.product_by_id[product_id]
        spec = AMOUNTS.get(code)
        amount = None
        if spec:
            low, high, step = spec
            amount = str(rng.randrange(low, high + 1, step) if high > low else low)  # NUMERIC text
        cp_id = self.n.client_product
        self.n.client_product += 1
        prefix = "КК" if is_card else CONTRACT_PREFIX.get(category, "ДО")
        rows["client_product"].append(
            (
                cp_id, cid, product_id, f"{prefix}-{cp_id:08d}", day_text(opened),
                day_text(closed) if closed else None, amount, "RUB",
            )
        )  # fmt: skip
        if not is_card:
            return
        last = (closed or self.w.now_ts // DAY) * DAY
        start = opened * DAY
        count = rng.randint(2, 12) if not closed else rng.randint(0, 4)
        txs = rows["card_transaction"]
        for at in sorted(rng.randint(start + 36_000, max(start + 36_001, last - 1)) for _ in range(count)):
            if rng.random() < 0.7:
                kind, amount, text = "purchase", rng.randrange(5_000, 1_500_000), rng.choice(D.MERCHANTS)
            else:
                kind, amount, text = "deposit", rng.randrange(100, 600) * 10_000, rng.choice(D.DEPOSIT_SOURCES)
            cents = f"{amount // 100}.{amount % 100:02d}"
            txs.append((self.n.card_transaction, cid, cp_id, stamp(at), kind, cents, "RUB", text))
            self.n.card_transaction += 1
