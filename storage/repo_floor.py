"""The live floor's store (`core.floor.store.FloorStore`): one read transaction of four grouped
statements per refresh, and the per-employee state row's writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from core.calls.rules import ON_LIST, MemberState
from core.clients.names import full_name
from core.clock import as_utc
from core.floor.store import CallFacts, CampaignFacts, EmployeeFacts, FloorFacts, FloorQuery
from storage import floor_sql as sql
from storage.driver_sql import Fixed
from storage.engine import read, write

_ON_LIST = {s.value for s in ON_LIST}


def _int(value: object) -> int:
    return int(value or 0)


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _name(surname: str | None, first: str | None, patronymic: str | None) -> str | None:
    return full_name(surname or "", first or "", patronymic or "") if surname or first else None


_CALL_STARTED = {name: Fixed(s) for name, s in sql.CALL_STARTED.items()}  # the driver's cursor on PostgreSQL


def floor_call_started(
    conn: Connection, session: str, employee_id: int, client_id: int, campaign_id: int, at: datetime
) -> None:
    """Within start_call's transaction, one statement: the session is in a call with the client from `at`."""
    stmt = _CALL_STARTED.get(conn.dialect.name, _CALL_STARTED["sqlite"])
    stmt.rowcount(conn, {"f_session": session, "f_employee_id": employee_id, "f_client_id": client_id,
                         "f_campaign_id": campaign_id, "f_at": at})  # fmt: skip


def floor_session_seen(conn: Connection, session: str, at: datetime) -> None:
    """Within a token's touch: the API session was used at `at`."""
    conn.execute(sql.SEEN, {"s_session": session, "f_at": at})


def floor_session_ended(conn: Connection, session: str) -> None:
    conn.execute(sql.SIGNED_OUT, {"s_session": session})


class FloorQueries:
    """Mixed into `storage.sql_repository.SqlRepository`."""

    engine: object

    @staticmethod
    def _floor_params(q: FloorQuery) -> dict[str, object]:
        params: dict[str, object] = {"lo": q.day_start, "hi": q.day_end, "now": q.now}
        if q.desk_ids is not None:
            params["desks"] = list(q.desk_ids)
        return params

    def floor(self, q: FloorQuery) -> FloorFacts:
        params = self._floor_params(q)
        mine = q.desk_ids is not None
        with read(self.engine) as conn:  # type: ignore[arg-type]
            people = conn.execute(
                sql.EMPLOYEES_OF_DESKS if mine else sql.EMPLOYEES_ALL,
                {
                    **params,
                    "live_since": q.live_since,
                    "seen_since": q.seen_since,
                    "unreached": list(q.unreached),
                    "agreed": list(q.agreed),
                },
            ).all()
            campaigns = conn.execute(sql.CAMPAIGNS_OF_DESKS if mine else sql.CAMPAIGNS_ALL, params).all()
            lists = conn.execute(sql.LISTS_OF_DESKS if mine else sql.LISTS_ALL, params).all()
            hours = conn.execute(sql.HOURS, {**params, "day_epoch": int(q.day_start.timestamp())}).all()
        shown = {row[0] for row in campaigns}
        return FloorFacts(
            employees=[_employee(r) for r in people],
            campaigns=[_campaign(c, [r for r in lists if r[0] == c[0]]) for c in campaigns],
            hours=[(r[0], _int(r[1]), _int(r[2])) for r in hours if r[0] in shown],
        )

    def floor_calls(self, q: FloorQuery, employee_id: int, limit: int) -> list[CallFacts] | None:
        params = {**self._floor_params(q), "employee_id": employee_id}
        with read(self.engine) as conn:  # type: ignore[arg-type]
            seen = conn.scalar(sql.EMPLOYEE_OF_DESKS if q.desk_ids is not None else sql.EMPLOYEE_ALL, params)
            if seen is None:
                return None
            rows = conn.execute(sql.CALLS, {**params, "limit": limit}).all()
        return [
            CallFacts(r[0], r[1], _name(r[2], r[3], r[4]) or "", r[5], as_utc(r[6]), _at(r[7]), r[8], r[9])
            for r in rows
        ]

    def floor_signed_in(self, session: str, employee_id: int, at: datetime) -> None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            stmt = sql.SIGNED_IN.get(conn.dialect.name, sql.SIGNED_IN["sqlite"])
            conn.execute(stmt, {"f_session": session, "f_employee_id": employee_id, "f_at": at})

    def floor_seen(self, session: str, at: datetime) -> None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            floor_session_seen(conn, session, at)

    def floor_signed_out(self, session: str) -> None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            floor_session_ended(conn, session)

    def floor_form(self, session: str, client_id: int, at: datetime) -> None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            conn.execute(sql.FORM_OPENED, {"s_session": session, "s_client_id": client_id, "f_at": at})


def _employee(r) -> EmployeeFacts:  # type: ignore[no-untyped-def]
    return EmployeeFacts(
        employee_id=r[0],
        employee=r[1],
        signed_in_at=as_utc(r[2]),
        call_at=_at(r[3]),
        form_at=_at(r[4]),
        client_id=r[5],
        client=_name(r[6], r[7], r[8]),
        client_desk_id=r[9],
        campaign=r[10],
        calls=_int(r[11]),
        reached=_int(r[12]),
        agreed=_int(r[13]),
        talk_total=_int(r[14]),
        talked=_int(r[15]),
        last_end=_at(r[16]),
        last_result=r[17],
    )


def list_health(rows) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """One campaign's rows of `floor_sql.LISTS_*`: counts per state, without the do-not-disturb
    clients (counted on their own); the keys are `CampaignFacts`' field names."""
    plain = {r[1]: (_int(r[3]), _int(r[4])) for r in rows if not r[2]}
    dnd = {r[1]: (_int(r[3]), _int(r[4])) for r in rows if r[2] and r[1] in _ON_LIST}

    def count(state: MemberState, due: bool = False) -> int:
        k = 1 if due else 0
        return plain.get(state.value, (0, 0))[k] - dnd.get(state.value, (0, 0))[k]

    return {
        "callbacks_due": count(MemberState.CALLBACK, due=True),
        "fresh": count(MemberState.NEW),
        "retries": count(MemberState.RETRY),
        "exhausted": plain.get(MemberState.EXHAUSTED.value, (0, 0))[0],
        "do_not_disturb": sum(n for n, _due in dnd.values()),
    }


def _campaign(c, rows) -> CampaignFacts:  # type: ignore[no-untyped-def]
    return CampaignFacts(campaign_id=c[0], campaign=c[1], active=bool(c[2]), **list_health(rows))
