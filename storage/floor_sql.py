"""The live floor's statements, built once: the live employees with today's aggregates, the lists'
counts per campaign and state, today's calls per campaign and hour, one employee's calls, and the
state row's writes (an upsert per dialect)."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, case, delete, exists, func, literal, or_, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.calls.rules import ON_LIST, MemberState
from storage.repo_reports import epoch
from storage.tables import CampaignMemberRow, CampaignRow, ClientRow, ContactRow, EmployeeDeskRow, EmployeeRow
from storage.tables_floor import FloorSessionRow

S = FloorSessionRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
ED = EmployeeDeskRow.__table__  # type: ignore[attr-defined]
C = ContactRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
CP = CampaignRow.__table__  # type: ignore[attr-defined]
M = CampaignMemberRow.__table__  # type: ignore[attr-defined]
LAST = C.alias("last_call")

_desks = bindparam("desks", expanding=True)
_today = and_(C.c.kind == "call", C.c.at >= bindparam("lo"), C.c.at < bindparam("hi"))
_reached = and_(C.c.result.is_not(None), C.c.result.not_in(bindparam("unreached", expanding=True)))
_of_desks = exists().where(ED.c.employee_id == E.c.id, ED.c.desk_id.in_(_desks))
_campaign_of_desks = or_(CP.c.desk_id.is_(None), CP.c.desk_id.in_(_desks))

# today's calls per employee: one range scan of ix_contact_at (it covers every column read)
_day = (
    select(
        C.c.employee_id,
        func.count().label("calls"),
        func.sum(case((_reached, 1), else_=0)).label("reached"),
        func.sum(case((C.c.result.in_(bindparam("agreed", expanding=True)), 1), else_=0)).label("agreed"),
        func.sum(case((C.c.ended_at.is_not(None), epoch(C.c.ended_at) - epoch(C.c.at)), else_=0)).label("talk"),
        func.count(C.c.ended_at).label("talked"),
        func.max(C.c.ended_at).label("last_end"),
        func.max(C.c.at).label("last_at"),
    )
    .where(_today, C.c.employee_id.is_not(None))
    .group_by(C.c.employee_id)
    .subquery("day")
)
_last_result = (
    select(func.min(LAST.c.result))
    .where(LAST.c.at == _day.c.last_at, LAST.c.kind == "call", LAST.c.employee_id == _day.c.employee_id)
    .scalar_subquery()
)
_employees = (
    select(
        E.c.id,
        E.c.full_name,
        S.c.signed_in_at,
        S.c.call_at,
        S.c.form_at,
        S.c.client_id,
        K.c.surname,
        K.c.first_name,
        K.c.patronymic,
        K.c.desk_id,
        CP.c.name,
        _day.c.calls,
        _day.c.reached,
        _day.c.agreed,
        _day.c.talk,
        _day.c.talked,
        _day.c.last_end,
        _last_result.label("last_result"),
    )
    .select_from(
        S.join(E, E.c.id == S.c.employee_id)
        .outerjoin(K, K.c.id == S.c.client_id)
        .outerjoin(CP, CP.c.id == S.c.campaign_id)
        .outerjoin(_day, _day.c.employee_id == S.c.employee_id)
    )
    .where(S.c.seen_at >= bindparam("seen_since"), S.c.signed_in_at >= bindparam("live_since"), E.c.active.is_(True))
    .order_by(E.c.full_name, E.c.id)  # one row per live session: an employee's rows follow each other
)
EMPLOYEES_ALL = _employees
EMPLOYEES_OF_DESKS = _employees.where(_of_desks)

_campaigns = select(CP.c.id, CP.c.name, CP.c.active).order_by(CP.c.active.desc(), CP.c.name, CP.c.id)
CAMPAIGNS_ALL = _campaigns
CAMPAIGNS_OF_DESKS = _campaigns.where(_campaign_of_desks)

# the lists per campaign and state: a range of ix_campaign_member_state per counted state (the
# done members are never read); the do-not-disturb members from the few such cards (ix_client_dnd,
# materialised first so the join starts from them, not from every member)
_COUNTED = [*(s.value for s in ON_LIST), MemberState.EXHAUSTED.value]
_due = func.sum(case((M.c.next_call_at <= bindparam("now"), 1), else_=0))
_states = (
    select(M.c.campaign_id, M.c.state, literal(0).label("dnd"), func.count(), _due)
    .where(M.c.state.in_(_COUNTED))
    .group_by(M.c.campaign_id, M.c.state)
)
_quiet = select(K.c.id).where(K.c.do_not_disturb == True).cte("quiet").prefix_with("MATERIALIZED")  # noqa: E712 - "= 1" as ix_client_dnd's WHERE
_dnd = (
    select(M.c.campaign_id, M.c.state, literal(1).label("dnd"), func.count(), _due)
    .select_from(_quiet.join(M, M.c.client_id == _quiet.c.id))
    .group_by(M.c.campaign_id, M.c.state)  # every state (filtered after): a state filter would start from the members
)
_visible_campaigns = select(CP.c.id).where(_campaign_of_desks)
LISTS_ALL = union_all(_states, _dnd)
LISTS_OF_DESKS = union_all(
    _states.where(M.c.campaign_id.in_(_visible_campaigns)), _dnd.where(M.c.campaign_id.in_(_visible_campaigns))
)
_one = M.c.campaign_id == bindparam("campaign_id")
LISTS_OF_CAMPAIGN = union_all(_states.where(_one), _dnd.where(_one))  # the Campaigns screen's one campaign

# today's calls per campaign and local hour (seconds since the local midnight // 3600)
_hour = ((epoch(C.c.at) - bindparam("day_epoch")) // 3600).label("hour")
HOURS = (
    select(C.c.campaign_id, _hour, func.count())
    .where(_today, C.c.campaign_id.is_not(None))
    .group_by(C.c.campaign_id, _hour)
)

EMPLOYEE_ALL = select(E.c.id).where(E.c.id == bindparam("employee_id"))
EMPLOYEE_OF_DESKS = EMPLOYEE_ALL.where(_of_desks)
CALLS = (
    select(
        C.c.id,
        C.c.client_id,
        K.c.surname,
        K.c.first_name,
        K.c.patronymic,
        K.c.desk_id,
        C.c.at,
        C.c.ended_at,
        CP.c.name,
        C.c.result,
    )  # fmt: skip
    .select_from(C.join(K, K.c.id == C.c.client_id).outerjoin(CP, CP.c.id == C.c.campaign_id))
    .where(_today, C.c.employee_id == bindparam("employee_id"))
    .order_by(C.c.at.desc(), C.c.id.desc())
    .limit(bindparam("limit"))
)

# --- the session rows ------------------------------------------------------------------------

_SIGN_IN = {
    "employee_id": bindparam("f_employee_id"),
    "signed_in_at": bindparam("f_at"),
    "seen_at": bindparam("f_at"),
}
_CALL = {
    **_SIGN_IN,
    "call_at": bindparam("f_at"),
    "form_at": None,
    "client_id": bindparam("f_client_id"),
    "campaign_id": bindparam("f_campaign_id"),
}


def _upsert(insert, values: dict, on_conflict: dict):  # type: ignore[no-untyped-def]
    return (
        insert(FloorSessionRow)
        .values(session=bindparam("f_session"), **values)
        .on_conflict_do_update(index_elements=["session"], set_=on_conflict)
    )


def _call_values(excluded) -> dict:  # type: ignore[no-untyped-def]
    return {
        "seen_at": excluded.seen_at,
        "call_at": excluded.call_at,
        "form_at": None,
        "client_id": excluded.client_id,
        "campaign_id": excluded.campaign_id,
    }


_sq, _pg = sqlite_insert(FloorSessionRow), pg_insert(FloorSessionRow)
_SIGN_IN_AGAIN = {**_SIGN_IN, "call_at": None, "form_at": None, "client_id": None, "campaign_id": None}
SIGNED_IN = {  # a console signing in again on its session starts afresh
    "sqlite": _upsert(sqlite_insert, _SIGN_IN, _SIGN_IN_AGAIN),
    "postgresql": _upsert(pg_insert, _SIGN_IN, _SIGN_IN_AGAIN),
}
# a session without a sign-in row (an API token of before the floor sessions) appears at its first call
CALL_STARTED = {
    "sqlite": _upsert(sqlite_insert, _CALL, _call_values(_sq.excluded)),
    "postgresql": _upsert(pg_insert, _CALL, _call_values(_pg.excluded)),
}
_this = S.c.session == bindparam("s_session")
SEEN = update(S).where(_this).values(seen_at=bindparam("f_at"))
SIGNED_OUT = delete(S).where(_this)
FORM_OPENED = (
    update(S)
    .where(_this, S.c.client_id == bindparam("s_client_id"), S.c.call_at.is_not(None))
    .values(form_at=bindparam("f_at"), seen_at=bindparam("f_at"))
)
