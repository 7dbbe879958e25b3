"""`core.calls.campaigns.CampaignsStore` over SQLAlchemy: K16 management, one transaction a call."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Engine, and_, bindparam, case, delete, exists, func, insert, literal, or_, select, update

from core.calls.campaigns import Campaign, CampaignSpec, Recycle
from core.calls.rules import ON_LIST, MemberState, RetryPolicy
from core.errors import Conflict
from core.vocab import ContactKind
from storage import floor_sql
from storage.engine import read, write
from storage.repo_floor import list_health
from storage.tables import CampaignMemberRow, CampaignRow, ClientRow, ContactRow, PhoneRow
from storage.tables_imports import CampaignScriptRow

_c, _m = CampaignRow.__table__, CampaignMemberRow.__table__  # type: ignore[attr-defined]
_client, _phone, _contact = ClientRow.__table__, PhoneRow.__table__, ContactRow.__table__  # type: ignore[attr-defined]
_script = CampaignScriptRow.__table__  # type: ignore[attr-defined]
_ON = [s.value for s in ON_LIST]
_COUNTS = (
    select(
        _m.c.campaign_id,
        func.sum(case((_m.c.state.in_(_ON), 1), else_=0)).label("members"),
        func.sum(case((_m.c.state.in_(_ON), 0), else_=1)).label("off_list"),
    )
    .group_by(_m.c.campaign_id)
    .subquery()
)
_LIST = select(_c, _COUNTS.c.members, _COUNTS.c.off_list).outerjoin(_COUNTS, _COUNTS.c.campaign_id == _c.c.id)
_CALLABLE = and_(
    _client.c.do_not_disturb.is_(False),
    exists().where(_phone.c.client_id == _client.c.id, _phone.c.status == "active"),
)
_LAST_RESULT = (
    select(_contact.c.result)
    .where(_contact.c.client_id == _m.c.client_id, _contact.c.campaign_id == _m.c.campaign_id)
    .where(_contact.c.kind == ContactKind.CALL.value)
    .order_by(_contact.c.at.desc(), _contact.c.id.desc())
    .limit(1)
    .scalar_subquery()
)


def retry_policy(row) -> RetryPolicy:  # type: ignore[no-untyped-def]
    """A campaign row's retry policy; a column left empty takes the default of core.calls.rules."""
    default = RetryPolicy()
    first, later, cap = row.retry_first_min, row.retry_next_min, row.max_attempts
    return RetryPolicy(
        first=timedelta(minutes=first) if first else default.first,
        next=timedelta(minutes=later) if later else default.next,
        max_attempts=cap or default.max_attempts,
        hours=(
            time.fromisoformat(row.call_start) if row.call_start else default.hours[0],
            time.fromisoformat(row.call_end) if row.call_end else default.hours[1],
        ),
    )


class CampaignQueries:
    engine: Engine

    def campaign_rows(self, desk_ids: list[int] | None, campaign_id: int | None = None) -> list[Campaign]:
        query = _LIST.order_by(_c.c.priority.desc(), _c.c.name, _c.c.id)
        if desk_ids is not None:
            query = query.where(or_(_c.c.desk_id.is_(None), _c.c.desk_id.in_(desk_ids)))
        if campaign_id is not None:
            query = query.where(_c.c.id == campaign_id)
        lists = floor_sql.LISTS_ALL if desk_ids is None else floor_sql.LISTS_OF_DESKS
        params: dict[str, object] = {"now": datetime.now(UTC), "desks": desk_ids}  # "now": the floor's due call-backs
        if campaign_id is not None:
            lists, params = floor_sql.LISTS_OF_CAMPAIGN, params | {"campaign_id": campaign_id}
        with read(self.engine) as conn:
            rows = conn.execute(query).all()
            counted = conn.execute(lists, params).all() if rows else []
        health = {r.id: list_health([c for c in counted if c[0] == r.id]) for r in rows}
        return [
            Campaign(
                id=r.id,
                code=r.code,
                name=r.name,
                active=r.active,
                desk_id=r.desk_id,
                priority=r.priority,
                call_start=r.call_start,
                call_end=r.call_end,
                retry_first_min=r.retry_first_min,
                retry_next_min=r.retry_next_min,
                max_attempts=r.max_attempts,
                script_version=r.script_version,
                members=r.members or 0,
                off_list=r.off_list or 0,
                fresh=health[r.id]["fresh"],
                retries=health[r.id]["retries"],
                exhausted=health[r.id]["exhausted"],
                do_not_disturb=health[r.id]["do_not_disturb"],
            )  # fmt: skip
            for r in rows
        ]

    def save_campaign(self, campaign_id: int | None, spec: CampaignSpec, employee_id: int | None, at: datetime) -> int:
        values = spec.model_dump()
        with write(self.engine) as conn:
            taken = conn.scalar(select(_c.c.id).where(_c.c.code == spec.code))
            if taken is not None and taken != campaign_id:
                raise Conflict(f"A campaign with the code '{spec.code}' exists.")
            if campaign_id is None:
                campaign_id = conn.execute(insert(_c).values(**values, active=True)).inserted_primary_key[0]
                old, version = "", 0
            else:
                old, version = conn.execute(
                    select(_c.c.script, _c.c.script_version).where(_c.c.id == campaign_id)
                ).one()
                conn.execute(update(_c).where(_c.c.id == campaign_id).values(**values))
            if spec.script != old:
                version += 1
                conn.execute(
                    insert(_script).values(
                        campaign_id=campaign_id, version=version, text=spec.script, at=at, employee_id=employee_id
                    )
                )
                conn.execute(update(_c).where(_c.c.id == campaign_id).values(script_version=version))
        return campaign_id

    def set_campaign_active(self, campaign_id: int, active: bool) -> None:
        with write(self.engine) as conn:
            conn.execute(update(_c).where(_c.c.id == campaign_id).values(active=active))

    def add_members(self, campaign_id: int, client_ids: list[int], desk_ids: list[int] | None, at: datetime) -> int:
        if not client_ids:
            return 0
        chosen = (
            select(literal(campaign_id), _client.c.id, literal(MemberState.NEW.value), literal(0))
            .where(_client.c.id.in_(bindparam("ids", expanding=True)), _CALLABLE)
            .where(~exists().where(_m.c.campaign_id == campaign_id, _m.c.client_id == _client.c.id))
        )
        if desk_ids is not None:
            chosen = chosen.where(_client.c.desk_id.in_(desk_ids))
        columns = ["campaign_id", "client_id", "state", "attempts"]
        statement = insert(_m).from_select(columns, chosen).returning(_m.c.client_id)  # rowcount: -1 on psycopg
        with write(self.engine) as conn:
            return len(conn.execute(statement, {"ids": client_ids}).all())

    def remove_members(self, campaign_id: int, client_ids: list[int]) -> int:
        if not client_ids:
            return 0
        with write(self.engine) as conn:
            found = conn.execute(delete(_m).where(_m.c.campaign_id == campaign_id, _m.c.client_id.in_(client_ids)))
            return found.rowcount or 0

    def recycle_members(self, plan: Recycle) -> int:
        chosen = []
        if plan.exhausted:
            chosen.append(_m.c.state == MemberState.EXHAUSTED.value)
        if plan.results:
            chosen.append(and_(_m.c.state.in_([MemberState.DONE.value, MemberState.EXHAUSTED.value]),
                               _LAST_RESULT.in_(plan.results)))  # fmt: skip
        callable_client = exists().where(_client.c.id == _m.c.client_id, _CALLABLE)
        statement = (
            update(_m)
            .where(_m.c.campaign_id == plan.campaign_id, or_(*chosen), callable_client)
            .values(state=MemberState.RETRY.value, attempts=0, next_call_at=plan.due)
        )
        with write(self.engine) as conn:
            return conn.execute(statement).rowcount or 0

    def script_version(self, campaign_id: int, version: int) -> str | None:
        if version == 0:
            query = select(_c.c.script).where(_c.c.id == campaign_id)
        else:
            query = select(_script.c.text).where(_script.c.campaign_id == campaign_id, _script.c.version == version)
        with read(self.engine) as conn:
            return conn.scalar(query)
