"""Auto-assignment in the store: the desk's rule applied inside the new client's insert (one
transaction; the rule row locked so concurrent inserts take turns), and the rules' editing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from core.assign import rules
from core.assign.models import AssignMode, AssignRule, RuleEdit
from core.vocab import ContactKind
from storage.engine import read, write
from storage.tables import ClientRow, ContactRow, DeskRow, EmployeeDeskRow, EmployeeRow, RoleRow
from storage.tables_assign import AssignRuleRow, EmployeeRegionRow

R = AssignRuleRow.__table__  # type: ignore[attr-defined]
G = EmployeeRegionRow.__table__  # type: ignore[attr-defined]
E = EmployeeRow.__table__  # type: ignore[attr-defined]
ED = EmployeeDeskRow.__table__  # type: ignore[attr-defined]
RO = RoleRow.__table__  # type: ignore[attr-defined]
K = ClientRow.__table__  # type: ignore[attr-defined]
D = DeskRow.__table__  # type: ignore[attr-defined]
ASSIGNED = "assigned"  # the history entry's result

_RULE = select(R).where(R.c.desk_id == bindparam("desk_id")).with_for_update()
_LOAD = select(func.count()).select_from(K).where(K.c.responsible_id == E.c.id).scalar_subquery()
_MANAGERS = (
    select(E.c.id, E.c.full_name, _LOAD.label("load"))
    .join(ED, and_(ED.c.employee_id == E.c.id, ED.c.desk_id == bindparam("desk_id")))
    .join(RO, RO.c.id == E.c.role_id)
    .where(E.c.active.is_(True), RO.c.code.in_(bindparam("roles", expanding=True)))
)
_REGIONS = select(G.c.employee_id, G.c.region_id).where(G.c.employee_id.in_(bindparam("ids", expanding=True)))
_SET_RESPONSIBLE = update(K).where(K.c.id == bindparam("client_id")).values(responsible_id=bindparam("manager"))
_TURN = update(R).where(R.c.desk_id == bindparam("b_desk")).values(last_employee_id=bindparam("manager"))
_RULES = (
    select(D.c.id, D.c.name, R.c.mode, R.c.roles, R.c.by_region).outerjoin(R, R.c.desk_id == D.c.id).order_by(D.c.name)
)
_RULES_OF = _RULES.where(D.c.id.in_(bindparam("desks", expanding=True)))
_DESK = select(D.c.id, D.c.name).where(D.c.id == bindparam("desk_id"))
_ADD_RULE = insert(R)
_EMPLOYEE = select(E.c.id).where(E.c.id == bindparam("employee_id"))
_EMPLOYEE_OF_DESKS = _EMPLOYEE.where(
    select(ED.c.employee_id)
    .where(ED.c.employee_id == E.c.id, ED.c.desk_id.in_(bindparam("desk_ids", expanding=True)))
    .exists()
)
_DROP_REGIONS = delete(G).where(G.c.employee_id == bindparam("employee_id"))
_ADD_REGION = insert(G)
_ADD_HISTORY = insert(ContactRow)
_HAS_RULE = select(R.c.desk_id).where(R.c.desk_id == bindparam("desk_id"))
_EDIT_RULE = update(R).where(R.c.desk_id == bindparam("b_desk"))


def assign_new_client(
    conn: Connection, client_id: int, desk_id: int | None, region_id: int | None, creator_id: int | None, now: datetime
) -> int | None:
    """Inside the client's insert: the manager the desk's rule picks (recorded on the card's
    history), or None (no rule, rule off, no active manager, or the creator is one of the managers)."""
    if desk_id is None:
        return None
    rule = conn.execute(_RULE, {"desk_id": desk_id}).first()
    if rule is None or rule.mode == AssignMode.OFF.value:
        return None
    rows = conn.execute(_MANAGERS, {"desk_id": desk_id, "roles": rule.roles.split(",")}).all()
    if any(r.id == creator_id for r in rows):
        return None  # a manager entering a lead keeps it
    regions: dict[int, set[int]] = {r.id: set() for r in rows}
    if rule.by_region and rows:
        for g in conn.execute(_REGIONS, {"ids": list(regions)}):
            regions[g.employee_id].add(g.region_id)
    managers = [rules.Manager(r.id, r.load, frozenset(regions[r.id])) for r in rows]
    chosen = rules.pick(AssignMode(rule.mode), managers, region_id, rule.by_region, rule.last_employee_id)
    if chosen is None:
        return None
    conn.execute(_SET_RESPONSIBLE, {"client_id": client_id, "manager": chosen})
    conn.execute(_TURN, {"b_desk": desk_id, "manager": chosen})
    name = next(r.full_name for r in rows if r.id == chosen)
    # on the card's history: who entered it (or the API's employee), the result "assigned", to whom
    values = {"client_id": client_id, "kind": ContactKind.STATUS.value, "at": now, "employee_id": creator_id or None}
    conn.execute(_ADD_HISTORY, values | {"comment": name, "result": ASSIGNED})
    return chosen


def _rule(row) -> AssignRule:  # type: ignore[no-untyped-def]
    return AssignRule(
        desk_id=row.id,
        desk=row.name,
        mode=AssignMode(row.mode or AssignMode.OFF.value),
        roles=(row.roles or "operator").split(","),
        by_region=bool(row.by_region),
    )


class AssignQueries:
    engine: object

    def assign_rules(self, desk_ids: tuple[int, ...] | None) -> list[AssignRule]:
        with read(self.engine) as conn:  # type: ignore[arg-type]
            rows = conn.execute(_RULES) if desk_ids is None else conn.execute(_RULES_OF, {"desks": list(desk_ids)})
            return [_rule(r) for r in rows]

    def set_assign_rule(self, desk_id: int, edit: RuleEdit) -> AssignRule | None:
        with write(self.engine) as conn:  # type: ignore[arg-type]
            desk = conn.execute(_DESK, {"desk_id": desk_id}).first()
            if desk is None:
                return None
            roles = ",".join(dict.fromkeys(r.strip() for r in edit.roles if r.strip()))
            values = {"mode": edit.mode.value, "roles": roles, "by_region": edit.by_region}
            if conn.execute(_HAS_RULE, {"desk_id": desk_id}).first() is None:
                conn.execute(_ADD_RULE, values | {"desk_id": desk_id})
            else:  # the round robin keeps its turn
                conn.execute(_EDIT_RULE.values(**values), {"b_desk": desk_id})
        return AssignRule(
            desk_id=desk.id, desk=desk.name, mode=edit.mode, roles=roles.split(","), by_region=edit.by_region
        )

    def set_manager_regions(
        self, employee_id: int, region_ids: list[int], desk_ids: tuple[int, ...] | None = None
    ) -> bool:
        found = _EMPLOYEE if desk_ids is None else _EMPLOYEE_OF_DESKS
        with write(self.engine) as conn:  # type: ignore[arg-type]
            if conn.execute(found, {"employee_id": employee_id, "desk_ids": list(desk_ids or ())}).first() is None:
                return False
            conn.execute(_DROP_REGIONS, {"employee_id": employee_id})
            if region_ids:
                conn.execute(_ADD_REGION, [{"employee_id": employee_id, "region_id": r} for r in region_ids])
        return True
