"""A small hand-made data set for the reports, whose right answers the tests write down.

March 2025 in Moscow (UTC+3). Clients (created, UTC): c1 Main/internet 03-03 07:00, c2 Main/interested
03-03 08:00, c3 Desk B/internet 03-04 09:00, c4 Main/internet 02-27 (old), c5 Main/recommended
03-31 20:00 (23:00 Moscow, still March; never called). Calls:
  bob  c1 03-03 07:10-07:15 agreed      campaign X   (first call of c1, 600 s after creation)
  bob  c2 03-03 09:00-09:02 not_reached campaign X   (first call of c2, 3600 s)
  cat  c3 03-04 09:30-09:31 card_product             (first call of c3, 1800 s)
  ann  c2 03-05 08:00-08:10 think
  bob  c4 03-31 20:30-20:35 refused     (23:30 Moscow on the last day: March)
  bob  c4 03-31 21:30-21:31 agreed      (00:30 Moscow on April 1: not March)
  ann  c4 02-28 10:00-10:01 agreed      (February)
Products: c3 opened 03-05 (after its card: counts), c1 opened 2025-01-01 (before its card: does not).
Campaign X lists c1 and c2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from core.access.rules import Permission, format_permissions
from core.clients.names import latin_key, name_key
from storage.engine import write
from storage.tables import ClientProductRow, ClientRow, ContactRow, DeskRow, EmployeeRow, ProductRow, RoleRow
from tests.call_world import add_campaign, add_member
from tests.helpers import MAIN_DESK, Crm

DESK_B = "Desk B"
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
ROLES = {
    "desk_lead": {Permission.VIEW_REPORTS, Permission.EXPORT_REPORTS, Permission.WORK_CALLS},
    "report_viewer": {Permission.VIEW_REPORTS},
}


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


@dataclass
class ReportData:
    ann: int
    bob: int
    cat: int
    main_desk: int
    desk_b: int
    campaign: int
    clients: dict[str, int]
    logins: dict[str, str]


def ensure_roles(crm: Crm) -> None:
    with write(crm.engine) as conn:
        known = set(conn.scalars(select(RoleRow.code)))
        for code, perms in ROLES.items():
            if code not in known:
                conn.execute(insert(RoleRow).values(code=code, name=code, permissions=format_permissions(perms)))


def build(crm: Crm, prefix: str = "r") -> ReportData:
    ensure_roles(crm)
    logins = {"ann": f"{prefix}ann", "bob": f"{prefix}bob", "cat": f"{prefix}cat"}
    crm.add_employee(logins["ann"], role="supervisor", desks=(MAIN_DESK,), full_name=f"Ann {prefix.upper()}")
    crm.add_employee(logins["bob"], role="operator", desks=(MAIN_DESK,), full_name=f"Bob {prefix.upper()}")
    crm.add_employee(logins["cat"], role="operator", desks=(DESK_B,), full_name=f"Cat {prefix.upper()}")
    campaign = add_campaign(crm, f"{prefix}_campaign_x")
    with write(crm.engine) as conn:
        ids = {
            who: conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login == login)) for who, login in logins.items()
        }
        desks = {name: conn.scalar(select(DeskRow.id).where(DeskRow.name == name)) for name in (MAIN_DESK, DESK_B)}

        def client(tag: str, desk: str, kind: str, created: datetime) -> int:
            surname, first = f"Отчётов{tag}", "Клиент"
            return conn.execute(
                insert(ClientRow).values(
                    surname=surname,
                    first_name=first,
                    name_key=name_key(surname, first),
                    name_latin=latin_key(name_key(surname, first)),
                    client_type=kind,
                    desk_id=desks[desk],
                    created_at=created,
                )
            ).inserted_primary_key[0]

        c = {
            "c1": client("1", MAIN_DESK, "internet", utc(3, 3, 7)),
            "c2": client("2", MAIN_DESK, "interested", utc(3, 3, 8)),
            "c3": client("3", DESK_B, "internet", utc(3, 4, 9)),
            "c4": client("4", MAIN_DESK, "internet", utc(2, 27, 12)),
            "c5": client("5", MAIN_DESK, "recommended", utc(3, 31, 20)),
        }

        def call(who: str, tag: str, at: datetime, ended: datetime, result: str, camp: int | None = None) -> None:
            conn.execute(
                insert(ContactRow).values(
                    client_id=c[tag],
                    kind="call",
                    at=at,
                    ended_at=ended,
                    result=result,
                    employee_id=ids[who],
                    campaign_id=camp,
                )
            )

        call("bob", "c1", utc(3, 3, 7, 10), utc(3, 3, 7, 15), "agreed", campaign)
        call("bob", "c2", utc(3, 3, 9), utc(3, 3, 9, 2), "not_reached", campaign)
        call("cat", "c3", utc(3, 4, 9, 30), utc(3, 4, 9, 31), "card_product")
        call("ann", "c2", utc(3, 5, 8), utc(3, 5, 8, 10), "think")
        call("bob", "c4", utc(3, 31, 20, 30), utc(3, 31, 20, 35), "refused")
        call("bob", "c4", utc(3, 31, 21, 30), utc(3, 31, 21, 31), "agreed")
        call("ann", "c4", utc(2, 28, 10), utc(2, 28, 10, 1), "agreed")
        product = conn.scalar(select(ProductRow.id).order_by(ProductRow.id).limit(1))
        conn.execute(insert(ClientProductRow).values(client_id=c["c3"], product_id=product, opened_on=date(2025, 3, 5)))
        conn.execute(insert(ClientProductRow).values(client_id=c["c1"], product_id=product, opened_on=date(2025, 1, 1)))
    add_member(crm, campaign, c["c1"])
    add_member(crm, campaign, c["c2"])
    return ReportData(ids["ann"], ids["bob"], ids["cat"], desks[MAIN_DESK], desks[DESK_B], campaign, c, logins)
