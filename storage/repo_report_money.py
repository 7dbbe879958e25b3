"""The money reports' aggregate queries (R2's money part, R3, R4 of `core.reports.port.ReportsStore`).

Only executed requests count; money is summed as integer hundredths (`round(amount * 100)`), exact
on SQLite (whose NUMERIC is a float) and on PostgreSQL alike, and grouped by currency: never mixed."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, and_, case, cast, exists, func, literal, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from core.clients.names import full_name
from core.reports.money import COUNTED_STATUS, DEPOSIT, LOT_UNITS, STANDARD_LOT, WITHDRAWAL, cents
from core.reports.port import (
    MoneyAggregate,
    PaymentAggregate,
    ReportQuery,
    SalesAggregate,
    SalesAggregates,
    TradeAggregate,
)
from storage.engine import read
from storage.tables import CampaignMemberRow, ClientRow, EmployeeRow
from storage.tables_custody import HandOverRow
from storage.tables_trading import MoneyRequestRow, TradeRow, TradingAccountRow

R = MoneyRequestRow.__table__  # type: ignore[attr-defined]
R_BEFORE = R.alias("earlier_deposit")
T = TradeRow.__table__  # type: ignore[attr-defined]
A = TradingAccountRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
M_IN = CampaignMemberRow.__table__.alias("money_member")  # type: ignore[attr-defined]
H = HandOverRow.__table__.alias("later_hand_over")  # type: ignore[attr-defined]
NO_MANAGER = "(no employee)"
NOBODY = -1  # a hand-over from no manager: no employee id is negative

# R3 credits a deposit to the manager the client had when it was executed: the one the client's
# first hand-over after that moment took it from (one probe of hand_over(client_id, at,
# from_employee_id)), or the card's manager when none followed.
_THEN = (
    select(func.coalesce(H.c.from_employee_id, NOBODY))
    .where(H.c.client_id == R.c.client_id, H.c.at > R.c.decided_at)
    .order_by(H.c.at)
    .limit(1)
    .scalar_subquery()
)
CREDITED = func.nullif(func.coalesce(_THEN, K.c.responsible_id), NOBODY)


def _hundredths(amount: ColumnElement) -> ColumnElement:  # type: ignore[type-arg]
    return cast(func.round(amount * 100), BigInteger)


def _sum_if(condition: ColumnElement[bool], value: ColumnElement) -> ColumnElement:  # type: ignore[type-arg]
    return func.sum(case((condition, value), else_=0))


def _money_scope(q: ReportQuery, manager: ColumnElement = K.c.responsible_id) -> list[ColumnElement[bool]]:  # type: ignore[type-arg]
    """The desk rule, channel, manager (employee filter) and campaign list, on the client K."""
    where: list[ColumnElement[bool]] = []
    if q.desk_ids is not None:
        where.append(K.c.desk_id.in_(q.desk_ids))
    if q.channel is not None:
        where.append(K.c.client_type == q.channel)
    if q.employee_id is not None:
        where.append(manager == q.employee_id)
    if q.campaign_id is not None:
        where.append(exists().where(M_IN.c.client_id == K.c.id, M_IN.c.campaign_id == q.campaign_id))
    return where


def _scoped(q: ReportQuery) -> bool:
    return any(v is not None for v in (q.desk_ids, q.channel, q.employee_id, q.campaign_id))


def _counted(q: ReportQuery, bonus: bool | None, bounded: bool = True) -> list[ColumnElement[bool]]:
    """Executed requests decided in the period; `bonus` False leaves bonuses out, None keeps them.
    `bounded` False: the caller's periods bound the time (a second, constant range would make
    SQLite search the whole period once per period)."""
    period = [R.c.decided_at >= q.lo, R.c.decided_at < q.hi] if bounded else []
    where = [R.c.status == COUNTED_STATUS, *period]
    if bonus is False:
        where.append(R.c.bonus.is_(False))
    return where


def _lot_units() -> ColumnElement:  # type: ignore[type-arg]
    base = func.substr(T.c.symbol, 1, 3)
    return case(*[(base == code, units) for code, units in LOT_UNITS.items()], else_=STANDARD_LOT)


class ReportMoneyQueries:
    """Mixed into `storage.sql_repository.SqlRepository`."""

    engine: object

    def report_payments(self, q: ReportQuery) -> list[PaymentAggregate]:
        deposit, withdrawal = R.c.kind == DEPOSIT, R.c.kind == WITHDRAWAL
        source = R.join(K, K.c.id == R.c.client_id) if _scoped(q) else R
        stmt = (
            select(
                R.c.payment_system,
                R.c.currency,
                _sum_if(deposit, literal(1)),
                _sum_if(deposit, _hundredths(R.c.amount)),
                _sum_if(withdrawal, literal(1)),
                _sum_if(withdrawal, _hundredths(R.c.amount)),
            )
            .select_from(source)
            .where(*_counted(q, bonus=False), *_money_scope(q))
            .group_by(R.c.payment_system, R.c.currency)
            .order_by(R.c.payment_system, R.c.currency)
        )
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(stmt).all()
        return [PaymentAggregate(r[0], r[1], int(r[2] or 0), cents(r[3]), int(r[4] or 0), cents(r[5])) for r in rows]

    def report_sales(self, q: ReportQuery, limit: int) -> SalesAggregates:
        """One statement: each executed deposit of the period is credited to the manager of its
        moment (`CREDITED`) and is the client's first when it is the client's earliest executed
        deposit (one index probe on money_request(client_id, kind, status, decided_at)); per client, then per employee, per currency and the largest clients from the
        per-client rows computed once (a MATERIALIZED CTE)."""
        first_id = (
            select(R_BEFORE.c.id)
            .where(
                R_BEFORE.c.client_id == R.c.client_id,
                R_BEFORE.c.kind == DEPOSIT,
                R_BEFORE.c.status == COUNTED_STATUS,
                R_BEFORE.c.bonus.is_(False),
            )
            .order_by(R_BEFORE.c.decided_at, R_BEFORE.c.id)
            .limit(1)
            .scalar_subquery()
        )
        deposit = (
            select(
                CREDITED.label("emp"),
                R.c.client_id,
                R.c.currency,
                case((R.c.id == first_id, 1), else_=0).label("first"),
                _hundredths(R.c.amount).label("cents"),
            )
            .select_from(R.join(K, K.c.id == R.c.client_id))
            .where(R.c.kind == DEPOSIT, *_counted(q, bonus=False), *_money_scope(q, CREDITED))
            .cte("sale")
            .prefix_with("MATERIALIZED")  # the first-deposit probe once per deposit, not once per use
        )
        per_client = (
            select(
                deposit.c.emp,
                deposit.c.client_id,
                deposit.c.currency,
                func.sum(deposit.c.first).label("first_n"),
                func.sum(deposit.c.first * deposit.c.cents).label("first_c"),
                (func.count() - func.sum(deposit.c.first)).label("repeat_n"),
                func.sum((1 - deposit.c.first) * deposit.c.cents).label("repeat_c"),
            )
            .group_by(deposit.c.emp, deposit.c.client_id, deposit.c.currency)
            .cte("sale_client")
            .prefix_with("MATERIALIZED")  # computed once for the three parts below
        )
        pc = per_client.c
        sums = (func.count(), func.sum(pc.first_n), func.sum(pc.first_c), func.sum(pc.repeat_n), func.sum(pc.repeat_c))
        none = literal(None, Integer)
        by_employee = select(literal("e"), pc.emp, none, pc.currency, *sums).group_by(pc.emp, pc.currency)
        totals = select(literal("t"), none, none, pc.currency, *sums).group_by(pc.currency)
        largest = (
            select(pc)
            .order_by((pc.first_c + pc.repeat_c).desc(), pc.client_id, pc.currency)
            .limit(limit + 1)
            .subquery("largest")
        )
        lc = largest.c
        by_client = select(
            literal("c"),
            lc.emp,
            lc.client_id,
            lc.currency,
            literal(1),
            lc.first_n,
            lc.first_c,
            lc.repeat_n,
            lc.repeat_c,
        )
        parts = union_all(by_employee, totals, by_client).subquery("sales")
        stmt = select(parts, E.c.full_name, K.c.surname, K.c.first_name, K.c.patronymic).select_from(
            parts.outerjoin(E, E.c.id == parts.c[1]).outerjoin(K, K.c.id == parts.c[2])
        )
        out: dict[str, list[SalesAggregate]] = {"e": [], "t": [], "c": []}
        with read(self.engine) as conn:  # type: ignore[arg-type]
            for kind, emp, client, currency, n, f_n, f_c, r_n, r_c, employee, *name in conn.execute(stmt):
                label = "All" if kind == "t" else employee or NO_MANAGER
                out[kind].append(
                    SalesAggregate(
                        emp,
                        label,
                        currency,
                        int(n),
                        int(f_n or 0),
                        cents(f_c),
                        int(r_n or 0),
                        cents(r_c),
                        client_id=client,
                        client=full_name(*name) if kind == "c" else "",
                    )  # fmt: skip
                )
        largest_first = sorted(out["c"], key=lambda a: (-(a.first_sum + a.repeat_sum), a.client_id or 0, a.currency))
        return SalesAggregates(
            by_employee=sorted(out["e"], key=lambda a: (a.employee, a.employee_id or 0, a.currency)),
            by_client=sorted(largest_first[:limit], key=lambda a: (a.employee, a.client, a.client_id or 0, a.currency)),
            totals=sorted(out["t"], key=lambda a: a.currency),
            complete=len(largest_first) <= limit,
        )

    def _money_periods(
        self, conn: Connection, q: ReportQuery, bucket
    ) -> tuple[list[MoneyAggregate], list[TradeAggregate]]:  # type: ignore[no-untyped-def]
        """R2: per period and currency the executed requests (bonuses kept, and summed apart) and
        the trades opened, in the caller's transaction."""
        deposit, withdrawal, bonus = R.c.kind == DEPOSIT, R.c.kind == WITHDRAWAL, R.c.bonus.is_(True)
        in_bucket = and_(R.c.decided_at >= bucket.c.lo, R.c.decided_at < bucket.c.hi)
        source = bucket.join(R, in_bucket)
        if _scoped(q):
            source = source.join(K, K.c.id == R.c.client_id)
        money = (
            select(
                bucket.c.i,
                R.c.currency,
                _sum_if(deposit, literal(1)),
                _sum_if(deposit, _hundredths(R.c.amount)),
                _sum_if(and_(deposit, bonus), _hundredths(R.c.amount)),
                _sum_if(withdrawal, literal(1)),
                _sum_if(withdrawal, _hundredths(R.c.amount)),
            )
            .select_from(source)
            .where(*_counted(q, bonus=None, bounded=False), *_money_scope(q))
            .group_by(bucket.c.i, R.c.currency)
        )
        quote = func.substr(T.c.symbol, 4, 3)
        lots, notional, on_bonus = (
            _hundredths(T.c.volume),
            _hundredths(T.c.volume * T.c.open_price * _lot_units()),
            T.c.bonus.is_(True),
        )
        trade_source = bucket.join(T, and_(T.c.opened_at >= bucket.c.lo, T.c.opened_at < bucket.c.hi))
        if _scoped(q):
            trade_source = trade_source.join(A, A.c.id == T.c.account_id).join(K, K.c.id == A.c.client_id)
        trades = (
            select(
                bucket.c.i,
                quote,
                func.sum(lots),
                _sum_if(on_bonus, lots),
                func.sum(notional),
                _sum_if(on_bonus, notional),
            )
            .select_from(trade_source)
            .where(*_money_scope(q))
            .group_by(bucket.c.i, quote)
        )
        found = [
            MoneyAggregate(r[0], r[1], int(r[2] or 0), cents(r[3]), cents(r[4]), int(r[5] or 0), cents(r[6]))
            for r in conn.execute(money)
        ]
        traded = [
            TradeAggregate(r[0], r[1], cents(r[2]), cents(r[3]), cents(r[4]), cents(r[5])) for r in conn.execute(trades)
        ]
        return found, traded
