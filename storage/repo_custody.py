"""Repository queries of hand-over and merging (`core.custody.store.CustodyStore`).

Each write is one transaction: it reads the rows the rule needs (locked on PostgreSQL), asks the
rule, then moves rows with a few set-based UPDATEs; statements are built once, at import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, bindparam, delete, exists, func, insert, select, union, update
from sqlalchemy.orm import aliased

from core.clients.models import ClientSummary
from core.custody.rules import combined_membership
from core.custody.store import CustodyRow, HandOverDecision, HandOverMove, MergeDecision, MergeSide
from storage.engine import read, write
from storage.repo_clients import _audit, _insert_history
from storage.tables import (
    BookingRow,
    CampaignMemberRow,
    CardTransactionRow,
    ClientProductRow,
    ClientRow,
    ContactChangeRow,
    ContactRow,
    DeskRow,
    EmailRow,
    EmployeeDeskRow,
    EmployeeRow,
    PhoneRow,
    RegionRow,
    SmsOutboxRow,
    TownRow,
)
from storage.tables_custody import ClientMergeRow, HandOverRow

K = ClientRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
ED = EmployeeDeskRow.__table__  # type: ignore[attr-defined]
D = DeskRow.__table__  # type: ignore[attr-defined]
PH = PhoneRow.__table__  # type: ignore[attr-defined]
EM = EmailRow.__table__  # type: ignore[attr-defined]
CM = CampaignMemberRow.__table__  # type: ignore[attr-defined]
_ids = bindparam("ids", expanding=True)
_desks = bindparam("desks", expanding=True)
_s, _m = bindparam("survivor"), bindparam("merged")

# --- hand-over ---------------------------------------------------------------------------------

_MANAGER_COLUMNS = select(
    E.c.id, E.c.login, E.c.full_name, D.c.id.label("desk_id"), D.c.name.label("desk")
).select_from(E.join(ED, ED.c.employee_id == E.c.id).join(D, D.c.id == ED.c.desk_id))
_MANAGER_ORDER = (E.c.full_name, E.c.id, D.c.id)
MANAGERS_ALL = _MANAGER_COLUMNS.where(E.c.active.is_(True)).order_by(*_MANAGER_ORDER)
MANAGERS_OF_DESKS = _MANAGER_COLUMNS.where(
    E.c.active.is_(True), E.c.id.in_(select(ED.c.employee_id).where(ED.c.desk_id.in_(_desks)))
).order_by(*_MANAGER_ORDER)
CUSTODY = (
    select(K.c.id, K.c.desk_id, K.c.responsible_id, E.c.full_name.label("responsible"), K.c.merged_into)
    .select_from(K.outerjoin(E, E.c.id == K.c.responsible_id))
    .where(K.c.id.in_(_ids))
    .with_for_update(of=K)
)
MOVE = update(K).where(K.c.id == bindparam("cid")).values(responsible_id=bindparam("to_id"), desk_id=bindparam("desk"))

# --- merging -----------------------------------------------------------------------------------

_referrer = aliased(ClientRow)


def _count(table, column=None):  # type: ignore[no-untyped-def]
    column = column if column is not None else table.c.client_id
    return select(func.count()).select_from(table).where(column == K.c.id).scalar_subquery()


ROW_COUNTS = {
    "phones": _count(PH),
    "emails": _count(EM),
    "history": _count(ContactRow.__table__),  # type: ignore[attr-defined]
    "products": _count(ClientProductRow.__table__),  # type: ignore[attr-defined]
    "transactions": _count(CardTransactionRow.__table__),  # type: ignore[attr-defined]
    "changes": _count(ContactChangeRow.__table__),  # type: ignore[attr-defined]
    "campaigns": _count(CM),
    "bookings": _count(BookingRow.__table__),  # type: ignore[attr-defined]
    "sms": _count(SmsOutboxRow.__table__),  # type: ignore[attr-defined]
}
_linked = K.alias("linked_card")
ROW_COUNTS["linked"] = (
    select(func.count()).select_from(_linked).where(_linked.c.referrer_id == K.c.id).scalar_subquery()
)
SIDES = (
    select(
        K,
        RegionRow.name.label("region"),
        TownRow.name.label("town"),
        D.c.name.label("desk"),
        _referrer.surname.label("ref_surname"),
        _referrer.first_name.label("ref_first"),
        _referrer.patronymic.label("ref_patronymic"),
        _referrer.desk_id.label("ref_desk_id"),
        *(count.label(f"n_{name}") for name, count in ROW_COUNTS.items()),
    )
    .select_from(K)
    .outerjoin(RegionRow, RegionRow.id == K.c.region_id)
    .outerjoin(TownRow, TownRow.id == K.c.town_id)
    .outerjoin(D, D.c.id == K.c.desk_id)
    .outerjoin(_referrer, _referrer.id == K.c.referrer_id)
    .where(K.c.id.in_(_ids))
)
LOCK_PAIR = select(K.c.id).where(K.c.id.in_(_ids)).with_for_update()
# a phone or an e-mail both cards carry stays once, on the survivor
_same_phone = PH.alias("survivor_phone")
DROP_SHARED_PHONES = delete(PH).where(
    PH.c.client_id == _m,
    exists().where(_same_phone.c.client_id == _s, _same_phone.c.e164 == PH.c.e164),
)
_same_email = EM.alias("survivor_email")
DROP_SHARED_EMAILS = delete(EM).where(
    EM.c.client_id == _m,
    exists().where(_same_email.c.client_id == _s, _same_email.c.address_key == EM.c.address_key),
)
_other_member = CM.alias("merged_member")
SHARED_MEMBERSHIPS = (
    select(CM, _other_member.c.state.label("o_state"), _other_member.c.next_call_at.label("o_next"))
    .add_columns(_other_member.c.attempts.label("o_attempts"), _other_member.c.last_call_at.label("o_last"))
    .join(_other_member, and_(_other_member.c.campaign_id == CM.c.campaign_id, _other_member.c.client_id == _m))
    .where(CM.c.client_id == _s)
)
UPDATE_MEMBERSHIP = (
    update(CM)
    .where(CM.c.client_id == _s, CM.c.campaign_id == bindparam("campaign"))
    .values(
        state=bindparam("m_state"),
        next_call_at=bindparam("m_next"),
        attempts=bindparam("m_attempts"),
        last_call_at=bindparam("m_last"),
    )
)
DROP_SHARED_MEMBERSHIPS = delete(CM).where(
    CM.c.client_id == _m,
    CM.c.campaign_id.in_(select(_other_member.c.campaign_id).where(_other_member.c.client_id == _s)),
)
# every row of the merged card's own, moved as it is
MOVED = [
    update(t).where(t.c.client_id == _m).values(client_id=_s)
    for t in (
        PH,
        EM,
        CM,
        ContactRow.__table__,  # type: ignore[attr-defined]
        ClientProductRow.__table__,  # type: ignore[attr-defined]
        CardTransactionRow.__table__,  # type: ignore[attr-defined]
        ContactChangeRow.__table__,  # type: ignore[attr-defined]
        BookingRow.__table__,  # type: ignore[attr-defined]
        SmsOutboxRow.__table__,  # type: ignore[attr-defined]
        HandOverRow.__table__,  # type: ignore[attr-defined]
    )
]
RELINK = update(K).where(K.c.referrer_id == _m, K.c.id != _s).values(referrer_id=_s)
UNLINK_SELF = update(K).where(K.c.id == _s, K.c.referrer_id == _m).values(referrer_id=None)
FOLLOW = update(K).where(K.c.merged_into == _m).values(merged_into=_s)
RETIRE = (
    update(K)
    .where(K.c.id == _m)
    .values(
        merged_into=_s,
        possible_duplicate=False,
        personal_version=K.c.personal_version + 1,
        contact_version=K.c.contact_version + 1,
    )
)
SURVIVOR_VERSIONS = dict(
    possible_duplicate=False, personal_version=K.c.personal_version + 1, contact_version=K.c.contact_version + 1
)

# --- the duplicates list ------------------------------------------------------------------------

_o = K.alias("other")
_fp, _op = PH.alias("flagged_phone"), PH.alias("other_phone")
_FLAGGED = select(K.c.id).where(K.c.possible_duplicate.is_(True), K.c.merged_into.is_(None))
FLAGGED_ALL = _FLAGGED.order_by(K.c.id.desc()).limit(bindparam("limit"))
FLAGGED_OF_DESKS = _FLAGGED.where(K.c.desk_id.in_(_desks)).order_by(K.c.id.desc()).limit(bindparam("limit"))


def _matches(desks: bool):  # type: ignore[no-untyped-def]
    """(flagged, other) pairs: the same phone, passport, or name and birth date; each an index lookup."""
    # "open" through coalesce, not the merged_into index: nearly every card is open, and the planner
    # must start from the flagged ids and the phone, passport and name indexes instead
    other = [func.coalesce(_o.c.merged_into, 0) == 0, _o.c.id != K.c.id, K.c.id.in_(_ids)]
    if desks:
        other.append(_o.c.desk_id.in_(_desks))
    by_phone = (
        select(K.c.id, _o.c.id.label("other"))
        .select_from(K.join(_fp, _fp.c.client_id == K.c.id).join(_op, _op.c.e164 == _fp.c.e164))
        .join(_o, _o.c.id == _op.c.client_id)
        .where(*other)
    )
    by_passport = select(K.c.id, _o.c.id).join(_o, _o.c.passport_key == K.c.passport_key).where(*other)
    by_name = (
        select(K.c.id, _o.c.id)
        .join(_o, and_(_o.c.name_key == K.c.name_key, _o.c.birth_date == K.c.birth_date))
        .where(*other)
    )
    pairs = union(by_phone, by_passport, by_name).subquery()
    return select(pairs.c.id, pairs.c.other).order_by(pairs.c.id.desc(), pairs.c.other)


MATCHES_ALL, MATCHES_OF_DESKS = _matches(False), _matches(True)


class CustodyQueries:
    engine: Engine

    if TYPE_CHECKING:

        def summaries(self, ids: list[int]) -> list[ClientSummary]: ...  # storage.repo_search

    def managers(self, desk_ids: list[int] | None) -> list[tuple[int, str, str, list[tuple[int, str]]]]:
        if desk_ids is not None and not desk_ids:
            return []
        with read(self.engine) as conn:
            rows = conn.execute(MANAGERS_ALL if desk_ids is None else MANAGERS_OF_DESKS, {"desks": desk_ids or []})
            found: dict[int, tuple[int, str, str, list[tuple[int, str]]]] = {}
            for r in rows:
                found.setdefault(r.id, (r.id, r.login, r.full_name, []))[3].append((r.desk_id, r.desk))
        return list(found.values())

    def hand_over(self, client_ids: list[int], decide: HandOverDecision) -> list[HandOverMove]:
        with write(self.engine) as conn:
            rows = [CustodyRow(**r._mapping) for r in conn.execute(CUSTODY, {"ids": client_ids})]
            plan = decide(rows)
            if not plan.moves:
                return []
            desks = {r.id: r.desk_id for r in rows}
            conn.execute(
                MOVE, [{"cid": m.client_id, "to_id": plan.to_employee_id, "desk": m.desk_id} for m in plan.moves]
            )
            for move in plan.moves:
                _insert_history(conn, move.client_id, move.entry)
            conn.execute(
                insert(HandOverRow),
                [
                    {
                        "client_id": m.client_id,
                        "at": plan.at,
                        "employee_id": plan.employee_id,
                        "from_employee_id": m.from_employee_id,
                        "to_employee_id": plan.to_employee_id,
                        "from_desk_id": desks.get(m.client_id),
                        "to_desk_id": m.desk_id,
                    }
                    for m in plan.moves
                ],
            )
        return plan.moves

    def duplicate_groups(
        self, desk_ids: list[int] | None, limit: int
    ) -> list[tuple[ClientSummary, list[ClientSummary]]]:
        if desk_ids is not None and not desk_ids:
            return []
        with read(self.engine) as conn:
            params = {"desks": desk_ids or [], "limit": limit}
            flagged = list(conn.scalars(FLAGGED_ALL if desk_ids is None else FLAGGED_OF_DESKS, params))
            pairs = conn.execute(
                MATCHES_ALL if desk_ids is None else MATCHES_OF_DESKS, {**params, "ids": flagged or [0]}
            )
            matches: dict[int, list[int]] = {}
            for card_id, other in pairs:
                matches.setdefault(card_id, []).append(other)
        wanted = [i for i in flagged if i in matches]
        shown = {s.id: s for s in self.summaries(list(dict.fromkeys(wanted + [o for i in wanted for o in matches[i]])))}
        return [(shown[i], [shown[o] for o in matches[i] if o in shown]) for i in wanted if i in shown]

    def merge_sides(self, survivor_id: int, merged_id: int) -> tuple[MergeSide, MergeSide] | None:
        with read(self.engine) as conn:
            return _sides(conn.execute(SIDES, {"ids": [survivor_id, merged_id]}), survivor_id, merged_id)

    def merge_clients(self, survivor_id: int, merged_id: int, decide: MergeDecision) -> bool:
        key = {"survivor": survivor_id, "merged": merged_id}
        with write(self.engine) as conn:
            conn.execute(LOCK_PAIR, {"ids": [survivor_id, merged_id]}).all()
            sides = _sides(conn.execute(SIDES, {"ids": [survivor_id, merged_id]}), survivor_id, merged_id)
            if sides is None:
                return False
            plan = decide(*sides)
            conn.execute(DROP_SHARED_PHONES, key)
            conn.execute(DROP_SHARED_EMAILS, key)
            for row in conn.execute(SHARED_MEMBERSHIPS, key).all():
                kept = {"state": row.state, "next_call_at": row.next_call_at, "attempts": row.attempts}
                kept["last_call_at"] = row.last_call_at
                other = {"state": row.o_state, "next_call_at": row.o_next, "attempts": row.o_attempts}
                other["last_call_at"] = row.o_last
                values = {**kept, **combined_membership(kept, other)}
                conn.execute(
                    UPDATE_MEMBERSHIP,
                    {
                        **key,
                        "campaign": row.campaign_id,
                        "m_state": values["state"],
                        "m_next": values["next_call_at"],
                        "m_attempts": values["attempts"],
                        "m_last": values["last_call_at"],
                    },
                )
            conn.execute(DROP_SHARED_MEMBERSHIPS, key)
            for statement in MOVED:
                conn.execute(statement, key)
            conn.execute(UNLINK_SELF, key)
            conn.execute(RELINK, key)
            conn.execute(FOLLOW, key)
            conn.execute(RETIRE, key)
            conn.execute(update(K).where(K.c.id == survivor_id).values(**plan.values, **SURVIVOR_VERSIONS))
            _audit(conn, survivor_id, plan.audits, plan.employee_id, plan.at)
            _insert_history(conn, survivor_id, plan.entry)
            conn.execute(
                insert(ClientMergeRow).values(
                    survivor_id=survivor_id,
                    merged_id=merged_id,
                    at=plan.at,
                    employee_id=plan.employee_id,
                    snapshot=plan.snapshot,
                )
            )
        return True


_SIDE_COLUMNS = [f for f in MergeSide.__dataclass_fields__ if f not in {"rows", "referrer", "referrer_desk_id"}]


def _sides(rows, survivor_id: int, merged_id: int) -> tuple[MergeSide, MergeSide] | None:  # type: ignore[no-untyped-def]
    from core.clients.names import full_name

    found = {}
    for r in rows:
        m = r._mapping
        found[m["id"]] = MergeSide(
            **{c: m[c] for c in _SIDE_COLUMNS},
            referrer=full_name(m["ref_surname"], m["ref_first"], m["ref_patronymic"]) if m["referrer_id"] else None,
            referrer_desk_id=m["ref_desk_id"],
            rows={name: m[f"n_{name}"] for name in ROW_COUNTS},
        )
    if survivor_id not in found or merged_id not in found:
        return None
    return found[survivor_id], found[merged_id]
