"""The reports' aggregate queries (`core.reports.port.ReportsStore`): GROUP BY in the store, the same
figures on SQLite and PostgreSQL. Percentiles use window functions (row_number, count) and integer
arithmetic, since SQLite has no percentile_cont; times are whole seconds since the epoch on both."""

from __future__ import annotations

from sqlalchemy import Date, Integer, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel.sql.sqltypes import UTCDateTime

from core.reports.models import Choice
from core.reports.port import (
    CallsAggregate,
    DelayAggregate,
    ExportRecord,
    FunnelAggregate,
    PeriodAggregates,
    ReportQuery,
)
from core.reports.rules import PERCENTILES, Bucket
from storage.engine import read, write
from storage.tables import (
    CampaignMemberRow,
    CampaignRow,
    ClientProductRow,
    ClientRow,
    ContactRow,
    DeskRow,
    EmployeeDeskRow,
    EmployeeRow,
    ReportExportRow,
)

C = ContactRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
D = DeskRow.__table__  # type: ignore[attr-defined]
M = CampaignMemberRow.__table__  # type: ignore[attr-defined]
CP = CampaignRow.__table__  # type: ignore[attr-defined]
P = ClientProductRow.__table__  # type: ignore[attr-defined]
ED = EmployeeDeskRow.__table__  # type: ignore[attr-defined]
X = ReportExportRow.__table__  # type: ignore[attr-defined]
M_IN = M.alias("member_filter")  # the filters' own aliases: never correlated with a report's FROM
C_BY = C.alias("call_filter")
NOBODY = "(no employee)"
NO_DESK = "(no desk)"


class epoch(FunctionElement):  # noqa: N801 - a SQL function
    """Whole seconds since 1970 of a timestamp (floored), as an integer on both engines."""

    type = Integer()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch, "postgresql")
def _epoch_pg(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"CAST(floor(extract(epoch FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


class utc_day(FunctionElement):  # noqa: N801 - a SQL function
    """The UTC calendar day of a timestamp, comparable with a DATE column on both engines."""

    type = Date()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_pg(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


def _client_scope(q: ReportQuery) -> list[ColumnElement[bool]]:
    """The desk rule and the channel filter on the client table."""
    where: list[ColumnElement[bool]] = []
    if q.desk_ids is not None:
        where.append(K.c.desk_id.in_(q.desk_ids))
    if q.channel is not None:
        where.append(K.c.client_type == q.channel)
    return where


def _with_client(q: ReportQuery, source):  # type: ignore[no-untyped-def]
    """Join the client only when a desk or channel filter needs it: most of a report's cost."""
    if q.desk_ids is None and q.channel is None:
        return source
    return source.join(K, K.c.id == C.c.client_id)


def _call_scope(q: ReportQuery, bounded: bool = True) -> list[ColumnElement[bool]]:
    """`bounded` False: the caller bounds the time by its periods (see report_periods)."""
    period = [C.c.at >= q.lo, C.c.at < q.hi] if bounded else []
    where = [C.c.kind == "call", *period, *_client_scope(q)]
    if q.employee_id is not None:
        where.append(C.c.employee_id == q.employee_id)
    if q.campaign_id is not None:
        where.append(C.c.campaign_id == q.campaign_id)
    return where


def _new_clients(q: ReportQuery, bounded: bool = True) -> list[ColumnElement[bool]]:
    """Clients created in the period within the scope; a campaign filter: on its list."""
    period = [K.c.created_at >= q.lo, K.c.created_at < q.hi] if bounded else []
    where = [*period, *_client_scope(q)]
    if q.campaign_id is not None:
        where.append(exists().where(M_IN.c.client_id == K.c.id, M_IN.c.campaign_id == q.campaign_id))
    if q.employee_id is not None:
        where.append(
            exists().where(C_BY.c.client_id == K.c.id, C_BY.c.kind == "call", C_BY.c.employee_id == q.employee_id)
        )
    return where


def _reached(q: ReportQuery) -> ColumnElement[bool]:
    return and_(C.c.result.is_not(None), C.c.result.not_in(q.unreached))


def _int(value: object) -> int:
    return int(value or 0)


class ReportQueries:
    """Mixed into `storage.sql_repository.SqlRepository`."""

    engine: object

    def report_calls(self, q: ReportQuery) -> list[CallsAggregate]:
        seconds = epoch(C.c.ended_at) - epoch(C.c.at)
        stmt = (
            select(
                C.c.employee_id,
                E.c.full_name,
                func.count(),
                func.sum(case((_reached(q), 1), else_=0)),
                func.sum(case((C.c.result.in_(q.success), 1), else_=0)),
                func.sum(case((C.c.ended_at.is_not(None), seconds), else_=0)),
                func.count(C.c.ended_at),
            )
            .select_from(_with_client(q, C).outerjoin(E, E.c.id == C.c.employee_id))
            .where(*_call_scope(q))
            .group_by(C.c.employee_id, E.c.full_name)
            .order_by(E.c.full_name, C.c.employee_id)
        )
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(stmt).all()
        return [
            CallsAggregate(r[0], r[1] or NOBODY, _int(r[2]), _int(r[3]), _int(r[4]), _int(r[5]), _int(r[6]))
            for r in rows
        ]

    # --- first calls: delay from card creation to the first call -------------------------------

    def _delays(self, q: ReportQuery):  # type: ignore[no-untyped-def]
        """Per new client called at least once: desk, first caller, delay in seconds. One probe of
        contact(client_id, at, kind, …) per new client reads its calls; a window numbers them by
        time and caller (a tie goes to the lowest employee id, as min() would: NULLs last)."""
        on = [C.c.client_id == K.c.id, C.c.kind == "call"]
        if q.campaign_id is not None:
            on.append(C.c.campaign_id == q.campaign_id)
        order = func.row_number().over(partition_by=K.c.id, order_by=(C.c.at, C.c.employee_id.asc().nulls_last()))
        calls = (
            select(K.c.desk_id, K.c.created_at, C.c.at, C.c.employee_id, order.label("n"))
            .select_from(K.join(C, and_(*on)))
            .where(*_new_clients(q))
            .subquery("new_call")
        )
        where = [calls.c.n == 1]
        if q.employee_id is not None:
            where.append(calls.c.employee_id == q.employee_id)
        return (
            select(
                calls.c.desk_id,
                calls.c.employee_id,
                (epoch(calls.c.at) - epoch(calls.c.created_at)).label("delay"),
            )
            .where(*where)
            .cte("delay")
        )

    def report_first_calls(self, q: ReportQuery) -> dict[str, list[DelayAggregate]]:
        """Percentiles per employee (the first caller), per desk (the client's) and for all, in one
        statement over the delays computed once."""
        delays = self._delays(q)
        groupings = (("employee", delays.c.employee_id), ("desk", delays.c.desk_id), ("all", literal(0)))
        ordered = union_all(
            *[
                select(
                    literal(kind).label("kind"),
                    group.label("g"),
                    delays.c.delay,
                    (func.row_number().over(partition_by=group, order_by=delays.c.delay) - 1).label("i"),
                    func.count().over(partition_by=group).label("n"),
                )
                for kind, group in groupings
            ]
        ).subquery("ordered")
        picks = []
        for a, b in PERCENTILES:
            pos = ((ordered.c.n - 1) * a) // b  # integer division on both engines
            rest = ((ordered.c.n - 1) * a) % b
            weight = case(
                (ordered.c.i == pos, ordered.c.delay * (b - rest)),
                (ordered.c.i == pos + 1, ordered.c.delay * rest),
                else_=0,
            )
            picks.append(func.sum(weight).label(f"p{a}_{b}"))
        per_group = (
            select(ordered.c.kind, ordered.c.g, func.max(ordered.c.n).label("n"), *picks)
            .group_by(ordered.c.kind, ordered.c.g)
            .subquery("percentile")
        )
        stmt = (
            select(per_group, E.c.full_name, D.c.name)
            .select_from(
                per_group.outerjoin(E, and_(per_group.c.kind == "employee", E.c.id == per_group.c.g)).outerjoin(
                    D, and_(per_group.c.kind == "desk", D.c.id == per_group.c.g)
                )
            )
            .order_by(per_group.c.kind, func.coalesce(E.c.full_name, D.c.name), per_group.c.g)
        )
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(stmt).all()
        out: dict[str, list[DelayAggregate]] = {"employee": [], "desk": [], "all": []}
        (a1, b1), (a2, b2) = PERCENTILES
        for kind, g, n, p1, p2, employee, desk in rows:
            label = {"employee": employee or NOBODY, "desk": desk or NO_DESK, "all": "All"}[kind]
            gid = None if kind == "all" else g
            out[kind].append(DelayAggregate(gid, label, _int(n), _int(p1) / b1, _int(p2) / b2))
        return out

    def report_not_called(self, q: ReportQuery) -> int:
        where = _new_clients(q)
        call_where = [C.c.client_id == K.c.id, C.c.kind == "call"]
        if q.campaign_id is not None:
            call_where.append(C.c.campaign_id == q.campaign_id)
        if q.employee_id is not None:
            return 0  # "called by the employee" is part of the scope
        stmt = select(func.count()).select_from(K).where(*where, ~exists().where(*call_where))
        with read(self.engine) as conn:  # type: ignore[arg-type]
            return _int(conn.scalar(stmt))

    # --- R2 ------------------------------------------------------------------------------------

    def report_periods(self, q: ReportQuery, buckets: list[Bucket]) -> PeriodAggregates:
        if not buckets:
            return PeriodAggregates([], [], [])
        bucket = _bucket_values(buckets)
        in_bucket = and_(C.c.at >= bucket.c.lo, C.c.at < bucket.c.hi)
        results = (  # one pass over the contacts: per period and result (NULL too)
            select(bucket.c.i, C.c.result, func.count())
            .select_from(_with_client(q, bucket.join(C, in_bucket)))
            .where(
                *_call_scope(q, bounded=False)
            )  # the periods bound it: SQLite would search the whole period per period
            .group_by(bucket.c.i, C.c.result)
        )
        new = (
            select(bucket.c.i, func.count())
            .select_from(bucket.join(K, and_(K.c.created_at >= bucket.c.lo, K.c.created_at < bucket.c.hi)))
            .where(*_new_clients(q, bounded=False))
            .group_by(bucket.c.i)
        )
        with read(self.engine) as conn:  # type: ignore[arg-type]
            by_result = [(r[0], r[1], _int(r[2])) for r in conn.execute(results)]
            new_clients = [(r[0], _int(r[1])) for r in conn.execute(new)]
            money, trades = self._money_periods(conn, q, bucket)  # type: ignore[attr-defined]
        totals: dict[int, list[int]] = {}
        for i, result, n in by_result:  # sums of a few aggregated rows
            row = totals.setdefault(i, [0, 0])
            row[0] += n
            row[1] += n if result is not None and result not in q.unreached else 0
        return PeriodAggregates(
            calls=[(i, calls, reached) for i, (calls, reached) in sorted(totals.items())],
            results=[r for r in by_result if r[1] is not None],
            new_clients=new_clients,
            money=money,
            trades=trades,
        )

    # --- R6 ------------------------------------------------------------------------------------

    def report_funnel(self, q: ReportQuery, by: str) -> list[FunnelAggregate]:
        """Per new client (and campaign of its list) one probe of its contacts answers both steps
        as one number, 2 × reached + agreed, with no GROUP BY over the joined contacts; then the
        product, looked up only for clients that passed both."""
        if by == "campaign":
            source = K.join(M, M.c.client_id == K.c.id).join(CP, CP.c.id == M.c.campaign_id)
            gid, group = CP.c.id, CP.c.name
        else:
            source, gid, group = K, literal(None), K.c.client_type
        contacts = [C.c.client_id == K.c.id]
        if by == "campaign":
            contacts.append(C.c.campaign_id == M.c.campaign_id)
        if q.employee_id is not None:
            contacts.append(C.c.employee_id == q.employee_id)
        reached = func.max(case((and_(C.c.kind == "call", _reached(q)), 2), else_=0))
        agreed = func.max(case((or_(C.c.result.in_(q.agreed), C.c.kind == "visit"), 1), else_=0))
        steps = select(reached + agreed).where(*contacts).scalar_subquery()
        flags = (
            select(K.c.id, K.c.created_at, gid.label("gid"), group.label("g"), func.coalesce(steps, 0).label("s"))
            .select_from(source)
            .where(*_new_clients(q))
            .cte("flags")
            .prefix_with("MATERIALIZED")  # read `s` thrice without probing thrice: never inlined
        )
        product = exists().where(P.c.client_id == flags.c.id, P.c.opened_on >= utc_day(flags.c.created_at))
        passed = flags.c.s == 3
        stmt = (
            select(
                flags.c.gid,
                flags.c.g,
                func.count(),
                func.sum(case((flags.c.s >= 2, 1), else_=0)),
                func.sum(case((passed, 1), else_=0)),
                func.sum(case((passed, case((product, 1), else_=0)), else_=0)),
            )
            .group_by(flags.c.gid, flags.c.g)
            .order_by(flags.c.g, flags.c.gid)
        )
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(stmt).all()
        return [FunnelAggregate(r[0], r[1], _int(r[2]), _int(r[3]), _int(r[4]), _int(r[5])) for r in rows]

    # --- filters and the export audit ------------------------------------------------------------

    def report_choices(self, desk_ids: tuple[int, ...] | None) -> tuple[list[Choice], list[Choice], list[Choice]]:
        desks = select(D.c.id, D.c.name).order_by(D.c.name)
        employees = select(E.c.id, E.c.full_name).where(E.c.active.is_(True)).order_by(E.c.full_name)
        campaigns = select(CP.c.id, CP.c.name).order_by(CP.c.name)
        if desk_ids is not None:
            desks = desks.where(D.c.id.in_(desk_ids))
            employees = employees.where(exists().where(ED.c.employee_id == E.c.id, ED.c.desk_id.in_(desk_ids)))
            campaigns = campaigns.where(or_(CP.c.desk_id.is_(None), CP.c.desk_id.in_(desk_ids)))
        with read(self.engine) as conn:  # type: ignore[arg-type]
            return tuple(  # type: ignore[return-value]
                [Choice(id=r[0], name=r[1]) for r in conn.execute(s)] for s in (desks, employees, campaigns)
            )

    def record_export(self, record: ExportRecord) -> None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            conn.execute(
                X.insert().values(
                    at=record.at,
                    employee_id=record.employee_id,
                    login=record.login,
                    report=record.report,
                    format=record.format,
                    filters=record.filters,
                    rows=record.rows,
                )
            )


def _bucket_values(buckets: list[Bucket]):  # type: ignore[no-untyped-def]
    """The periods as a derived table (i, lo, hi), computed in the operator's time zone by core.

    A UNION ALL of one-row SELECTs: SQLite does not name the columns of `VALUES ... AS t(a, b)`."""
    rows = [
        select(
            literal(b.index, Integer).label("i"),
            literal(b.lo, UTCDateTime()).label("lo"),
            literal(b.hi, UTCDateTime()).label("hi"),
        )
        for b in buckets
    ]
    return union_all(*rows).subquery("bucket") if len(rows) > 1 else rows[0].subquery("bucket")
