"""`core.imports.store.ImportsStore` over SQLAlchemy: one transaction a batch, the mark with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from core.clock import as_utc
from core.imports.models import BadRow, EarlierImport, ImportReport
from core.imports.rules import Match, RowAction
from core.imports.store import ImportBatch, NewImport, OpenImport
from core.vocab import ChangeField, ContactKind
from storage.engine import read, write
from storage.tables import (
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactChangeRow,
    ContactRow,
    EmailRow,
    EmployeeRow,
    PhoneRow,
)
from storage.tables_imports import ImportJobRow, ImportLineRow

_job, _line = ImportJobRow.__table__, ImportLineRow.__table__  # type: ignore[attr-defined]
_client, _phone, _email = ClientRow.__table__, PhoneRow.__table__, EmailRow.__table__  # type: ignore[attr-defined]
_member = CampaignMemberRow.__table__  # type: ignore[attr-defined]

_OPEN = (
    select(_job.c.id, _job.c.high_water)
    .where(_job.c.file_hash == bindparam("h"), _job.c.employee_id.is_not_distinct_from(bindparam("e")))
    .where(_job.c.finished_at.is_(None))
    .order_by(_job.c.id.desc())
    .limit(1)
)
_EARLIER = (
    select(
        _job.c.id,
        _job.c.filename,
        _job.c.started_at,
        EmployeeRow.full_name,
        select(func.count())
        .where(_line.c.import_id == _job.c.id, _line.c.outcome.in_(("created", "flagged", "merged")))
        .scalar_subquery(),
    )
    .select_from(_job.outerjoin(EmployeeRow, EmployeeRow.id == _job.c.employee_id))
    .where(_job.c.content_hash == bindparam("c"))
    .order_by(_job.c.id.desc())
    .limit(1)
)
_BY_PHONE = (
    select(_phone.c.e164, _phone.c.client_id, _client.c.desk_id)
    .join(_client, _client.c.id == _phone.c.client_id)
    .where(_phone.c.e164.in_(bindparam("keys", expanding=True)))
)
_BY_PASSPORT = select(_client.c.passport_key, _client.c.id, _client.c.desk_id).where(
    _client.c.passport_key.in_(bindparam("keys", expanding=True))
)
_PHONES_OF = select(_phone.c.client_id, _phone.c.e164).where(_phone.c.client_id.in_(bindparam("ids", expanding=True)))
_EMAILS_OF = select(_email.c.client_id, _email.c.address_key).where(
    _email.c.client_id.in_(bindparam("ids", expanding=True))
)
_MEMBERS = select(_member.c.client_id).where(
    _member.c.campaign_id == bindparam("c"), _member.c.client_id.in_(bindparam("ids", expanding=True))
)
_INSERT_CLIENTS = insert(_client).returning(_client.c.id, sort_by_parameter_order=True)
_BUMP = update(_client).where(_client.c.id == bindparam("cid")).values(contact_version=_client.c.contact_version + 1)
_MARK = update(_job).where(_job.c.id == bindparam("jid")).values(high_water=bindparam("hw"))
_UNFINISHED = (
    select(_job.c.id, _job.c.filename, _job.c.started_at, _job.c.high_water, _job.c.options)
    .where(_job.c.employee_id.is_not_distinct_from(bindparam("e")), _job.c.finished_at.is_(None))
    .order_by(_job.c.id.desc())
    .limit(bindparam("n"))
)
_COUNTS = select(_line.c.outcome, func.count()).where(_line.c.import_id == bindparam("i")).group_by(_line.c.outcome)
_BAD = (
    select(_line.c.line, _line.c.reason)
    .where(_line.c.import_id == bindparam("i"), _line.c.outcome == "bad")
    .order_by(_line.c.line)
    .limit(bindparam("n"))
)
_CAMPAIGN = select(CampaignRow.id, CampaignRow.desk_id).where(CampaignRow.code == bindparam("code"))


class ImportQueries:
    engine: Engine

    def open_import(self, job: NewImport, again: bool = False) -> tuple[int, int] | EarlierImport:
        with write(self.engine) as conn:
            found = conn.execute(_OPEN, {"h": job.file_hash, "e": job.employee_id}).first()
            if found is not None:
                return found.id, found.high_water
            earlier = None if again else conn.execute(_EARLIER, {"c": job.content_hash}).first()
            if earlier is not None:
                return EarlierImport(id=earlier[0], filename=earlier[1], at=as_utc(earlier[2]), employee=earlier[3],
                                     clients=earlier[4] or 0)  # fmt: skip
            values = {"file_hash": job.file_hash, "content_hash": job.content_hash or None, "filename": job.filename,
                      "employee_id": job.employee_id, "options": job.options, "started_at": job.at,
                      "high_water": 0}  # fmt: skip
            return conn.execute(insert(_job).values(**values)).inserted_primary_key[0], 0

    def import_batch(self, batch: ImportBatch, decide: Callable[[dict[int, list[Match]]], list[RowAction]]) -> None:
        with write(self.engine) as conn:
            actions = decide(_matches(conn, batch))
            rows = {r.line: r for r in batch.rows}
            created = _create(conn, batch, [a for a in actions if a.action == "create"], rows)
            merged = _merge(conn, batch, [a for a in actions if a.action == "merge"], rows, created)
            lines = [{"import_id": batch.import_id, "line": n, "outcome": "bad", "client_id": None, "reason": why[:300]}
                     for n, why in batch.bad]  # fmt: skip
            for a in actions:
                cid = created.get(a.line) or merged.get(a.line) or a.client_id
                outcome = {"create": "flagged" if a.flagged else "created", "merge": "merged"}.get(a.action, "skipped")
                lines.append({"import_id": batch.import_id, "line": a.line, "outcome": outcome, "client_id": cid,
                              "reason": None})  # fmt: skip
            if lines:
                conn.execute(insert(_line), lines)
            if batch.campaign_id is not None:
                _join_campaign(conn, batch.campaign_id, [*created.values(), *merged.values()])
            conn.execute(_MARK, {"jid": batch.import_id, "hw": batch.high_water})

    def finish_import(self, import_id: int, at: datetime) -> None:
        with write(self.engine) as conn:
            conn.execute(update(_job).where(_job.c.id == import_id).values(finished_at=at))

    def unfinished_imports(self, employee_id: int | None, limit: int) -> list[OpenImport]:
        with read(self.engine) as conn:
            rows = conn.execute(_UNFINISHED, {"e": employee_id, "n": limit}).all()
        return [OpenImport(r.id, r.filename, as_utc(r.started_at), r.high_water, r.options) for r in rows]

    def import_report(self, import_id: int, problems: int) -> tuple[ImportReport, int | None] | None:
        with read(self.engine) as conn:
            job = conn.execute(select(_job).where(_job.c.id == import_id)).first()
            if job is None:
                return None
            counts = dict(conn.execute(_COUNTS, {"i": import_id}).all())
            bad = [
                BadRow(line=r.line, reason=r.reason or "") for r in conn.execute(_BAD, {"i": import_id, "n": problems})
            ]
        report = ImportReport(
            id=job.id, filename=job.filename, status="done" if job.finished_at else "running",
            started_at=as_utc(job.started_at), finished_at=as_utc(job.finished_at) if job.finished_at else None,
            lines_done=job.high_water, created=counts.get("created", 0), merged=counts.get("merged", 0),
            flagged=counts.get("flagged", 0), skipped=counts.get("skipped", 0), bad=counts.get("bad", 0),
            problems=bad,
        )  # fmt: skip
        return report, job.employee_id

    def visible_client_ids(self, ids: list[int], desk_ids: list[int] | None) -> list[int]:
        query = select(_client.c.id).where(_client.c.id.in_(ids)).order_by(_client.c.id)
        if desk_ids is not None:
            query = query.where(_client.c.desk_id.in_(desk_ids))
        with read(self.engine) as conn:
            return list(conn.execute(query).scalars()) if ids else []

    def campaign_by_code(self, code: str) -> tuple[int, int | None] | None:
        with read(self.engine) as conn:
            found = conn.execute(_CAMPAIGN, {"code": code}).first()
        return (found.id, found.desk_id) if found else None


def _matches(conn: Connection, batch: ImportBatch) -> dict[int, list[Match]]:
    """Line -> the stored cards sharing one of its phones or its passport."""
    by_key: dict[str, list[Match]] = {}
    phones = sorted({p for r in batch.rows for p in r.phones})
    if phones:
        for key, cid, desk in conn.execute(_BY_PHONE, {"keys": phones}):
            by_key.setdefault(key, []).append(Match(cid, desk, "phone"))
    passports = sorted({r.passport_key for r in batch.rows if r.passport_key})
    if passports:
        for key, cid, desk in conn.execute(_BY_PASSPORT, {"keys": passports}):
            by_key.setdefault(key, []).append(Match(cid, desk, "passport"))
    found: dict[int, list[Match]] = {}
    for r in batch.rows:
        for key in [*r.phones, *([r.passport_key] if r.passport_key else [])]:
            for m in by_key.get(key, []):
                if all(m.client_id != o.client_id for o in found.get(r.line, [])):
                    found.setdefault(r.line, []).append(m)
    return found


def _create(conn: Connection, batch: ImportBatch, actions: list[RowAction], rows: dict) -> dict[int, int]:  # type: ignore[type-arg]
    """Line -> the new card's id."""
    if not actions:
        return {}
    values = []
    for a in actions:
        r = rows[a.line]
        values.append({
            "surname": r.surname, "first_name": r.first_name, "patronymic": r.patronymic, "name_key": r.name_key,
            "name_latin": r.name_latin, "birth_date": r.birth_date, "client_type": r.client_type, "lifecycle": "lead",
            "region_id": None, "town_id": None, "passport_series": r.passport_series,
            "passport_number": r.passport_number, "passport_key": r.passport_key, "desk_id": batch.desk_id,
            "responsible_id": batch.employee_id, "referrer_id": None, "do_not_disturb": False,
            "possible_duplicate": a.flagged, "language": "ru", "created_at": batch.at, "personal_version": 1,
            "contact_version": 1,
        })  # fmt: skip
    ids = [row[0] for row in conn.execute(_INSERT_CLIENTS, values)]
    created = {a.line: cid for a, cid in zip(actions, ids, strict=True)}
    phones = [{"client_id": created[n], "e164": p, "kind": "mobile", "status": "active", "strike_reason": None}
              for n in created for p in rows[n].phones]  # fmt: skip
    conn.execute(insert(_phone), phones)
    emails = [{"client_id": created[n], "address": a, "address_key": k} for n in created for a, k in rows[n].emails]
    if emails:
        conn.execute(insert(_email), emails)
    history = [{"client_id": cid, "kind": ContactKind.STATUS.value, "at": batch.at, "employee_id": batch.employee_id,
                "result": "created", "comment": "import"} for cid in created.values()]  # fmt: skip
    conn.execute(insert(ContactRow.__table__), history)  # type: ignore[attr-defined]
    return created


def _merge(
    conn: Connection,
    batch: ImportBatch,
    actions: list[RowAction],
    rows: dict,
    created: dict[int, int],  # type: ignore[type-arg]
) -> dict[int, int]:
    """The row's phones and e-mails the card lacks go onto it, audited (C10); line -> the card's id."""
    target = {a.line: a.client_id or created[a.into_line] for a in actions}  # type: ignore[index]
    if not target:
        return {}
    ids = sorted(set(target.values()))
    phones = {(cid, p) for cid, p in conn.execute(_PHONES_OF, {"ids": ids})}
    emails = {(cid, k) for cid, k in conn.execute(_EMAILS_OF, {"ids": ids})}
    new_phones, new_emails, audits, changed = [], [], [], set()
    for line, cid in target.items():
        for p in rows[line].phones:
            if (cid, p) not in phones:
                phones.add((cid, p))
                new_phones.append({"client_id": cid, "e164": p, "kind": "mobile", "status": "active",
                                   "strike_reason": None})  # fmt: skip
                audits.append((cid, ChangeField.PHONE.value, p))
        for address, key in rows[line].emails:
            if (cid, key) not in emails:
                emails.add((cid, key))
                new_emails.append({"client_id": cid, "address": address, "address_key": key})
                audits.append((cid, ChangeField.EMAIL.value, address))
    for table, values in ((_phone, new_phones), (_email, new_emails)):
        if values:
            conn.execute(insert(table), values)
    if audits:
        conn.execute(
            insert(ContactChangeRow.__table__),  # type: ignore[attr-defined]
            [
                {
                    "client_id": cid,
                    "at": batch.at,
                    "field": f,
                    "old": None,
                    "new": v,
                    "reason": "import",
                    "employee_id": batch.employee_id,
                    "comment": None,
                }
                for cid, f, v in audits
            ],  # fmt: skip
        )
        changed = {cid for cid, _, _ in audits}
        conn.execute(_BUMP, [{"cid": cid} for cid in sorted(changed)])
    return target


def _join_campaign(conn: Connection, campaign_id: int, client_ids: list[int]) -> None:
    ids = sorted(set(client_ids))
    if not ids:
        return
    there = set(conn.execute(_MEMBERS, {"c": campaign_id, "ids": ids}).scalars())
    new = [
        {"campaign_id": campaign_id, "client_id": cid, "state": "new", "attempts": 0} for cid in ids if cid not in there
    ]
    if new:
        conn.execute(insert(_member), new)
