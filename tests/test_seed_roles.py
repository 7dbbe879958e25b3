"""S3, S4: the seed's two default roles next to the bank's; only administration staff (and the
administrator) see every desk; migration 0020 brings an existing database there."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from core.access.rules import DEFAULT_ROLES, Permission
from storage.engine import make_engine
from storage.migrate import alembic_config

# The supervisor of a database at 0019, the revision before the seed's roles
OLD_SUPERVISOR = (
    "all_desks,change_visit_date,comment,create_client,edit_contacts,edit_personal,execute_payments,export,"
    "export_reports,hand_over,import_clients,manage_automation,manage_campaigns,merge_clients,send_sms,"
    "view_contacts,view_floor,view_reports,work_calls"
)


def test_the_default_roles_and_who_sees_every_desk() -> None:
    assert {"admin", "administration", "sales_manager", "supervisor", "operator", "office", "sme", "control"} == set(
        DEFAULT_ROLES
    )
    every_desk = {code for code, (_name, perms) in DEFAULT_ROLES.items() if Permission.ALL_DESKS in perms}
    assert every_desk == {"admin", "administration"}
    assert DEFAULT_ROLES["administration"][0] == "Administration staff"
    sales = DEFAULT_ROLES["sales_manager"][1]
    assert Permission.VIEW_CONTACTS in sales and Permission.MANAGE_USERS not in sales
    assert DEFAULT_ROLES["supervisor"][1] | {Permission.ALL_DESKS} == DEFAULT_ROLES["administration"][1]


def _upgrade(engine, revision: str) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def test_the_migration_adds_the_seed_roles_and_takes_every_desk_from_the_supervisor(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "old.sqlite3"))
    try:
        _upgrade(engine, "0019")
        with engine.begin() as conn:  # the roles as a database of before has them
            conn.execute(text("INSERT INTO role (code, name, permissions) VALUES ('supervisor', 'Supervisor', :p)"),
                         {"p": OLD_SUPERVISOR})  # fmt: skip
            conn.execute(text("INSERT INTO role (code, name, permissions) VALUES ('operator', 'Operator', 'comment')"))
        _upgrade(engine, "head")
        with engine.connect() as conn:
            roles = {r.code: r for r in conn.execute(text("SELECT code, name, permissions, version FROM role"))}
    finally:
        engine.dispose()
    assert set(roles) == {"supervisor", "operator", "administration", "sales_manager"}
    assert "all_desks" not in roles["supervisor"].permissions.split(",") and roles["supervisor"].version == 1
    assert roles["administration"].permissions == OLD_SUPERVISOR  # what the supervisor had, every desk
    assert roles["administration"].name == "Administration staff" and roles["sales_manager"].name == "Sales manager"
    assert roles["operator"].permissions == "comment"
    for code in ("administration", "sales_manager"):  # the migration's frozen copy matches the code's defaults
        expected = ",".join(sorted(p.value for p in DEFAULT_ROLES[code][1]))
        assert roles[code].permissions == expected
