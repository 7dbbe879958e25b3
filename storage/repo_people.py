"""Repository queries about employees, sign-in challenges, the SMS outbox and reference data."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from core.clock import as_utc
from core.models import EmployeeInfo, OutboxItem, Region, SmsTemplate, Town
from core.repository import ChallengeRecord, EmployeeRecord, NewSms
from storage.engine import read, write
from storage.tables import (
    AuthChallengeRow,
    DeskRow,
    EmployeeDeskRow,
    EmployeeRow,
    RegionRow,
    RoleRow,
    SmsOutboxRow,
    SmsTemplateRow,
    TownRow,
)


def sms_values(sms: NewSms) -> dict[str, object]:
    return {
        "to": sms.to,
        "text": sms.text,
        "purpose": str(sms.purpose),
        "status": "queued",
        "created_at": sms.created_at,
        "send_after": sms.send_after,
        "client_id": sms.client_id,
        "employee_id": sms.employee_id,
        "template_code": sms.template_code,
    }


def outbox_item(row) -> OutboxItem:  # type: ignore[no-untyped-def]
    return OutboxItem(
        id=row.id,
        to=row.to,
        text=row.text,
        status=row.status,
        purpose=row.purpose,
        created_at=as_utc(row.created_at),
        send_after=as_utc(row.send_after) if row.send_after else None,
        client_id=row.client_id,
    )


class PeopleQueries:
    engine: Engine

    def employee_by_login(self, login: str) -> EmployeeRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(select(EmployeeRow).where(EmployeeRow.login == login)).first()
        if row is None:
            return None
        return EmployeeRecord(
            id=row.id,
            login=row.login,
            full_name=row.full_name,
            password_hash=row.password_hash,
            active=row.active,
            mobile=row.mobile,
            failed_attempts=row.failed_attempts,
            locked_until=row.locked_until,
            totp_secret=row.totp_secret,
            totp_last_counter=row.totp_last_counter,
        )

    def employee_info(self, employee_id: int) -> EmployeeInfo | None:
        with read(self.engine) as conn:
            row = conn.execute(
                select(EmployeeRow.id, EmployeeRow.login, EmployeeRow.full_name, EmployeeRow.active, RoleRow)
                .join(RoleRow, RoleRow.id == EmployeeRow.role_id)
                .where(EmployeeRow.id == employee_id)
            ).first()
            if row is None or not row.active:
                return None
            desks = conn.execute(
                select(DeskRow.id, DeskRow.name)
                .join(EmployeeDeskRow, EmployeeDeskRow.desk_id == DeskRow.id)
                .where(EmployeeDeskRow.employee_id == employee_id)
                .order_by(DeskRow.id)
            ).all()
        return EmployeeInfo(
            id=row.id,
            login=row.login,
            full_name=row.full_name,
            role=row.code,
            role_name=row.name,
            permissions=sorted(p for p in row.permissions.split(",") if p),
            desk_ids=[d.id for d in desks],
            desks=[d.name for d in desks],
        )

    def record_sign_in_failure(self, employee_id: int, locked_until: datetime | None) -> int:
        with write(self.engine) as conn:
            values: dict[str, object] = {"failed_attempts": EmployeeRow.failed_attempts + 1}
            if locked_until is not None:
                values = {"failed_attempts": 0, "locked_until": locked_until}
            conn.execute(update(EmployeeRow).where(EmployeeRow.id == employee_id).values(**values))
            return conn.scalar(select(EmployeeRow.failed_attempts).where(EmployeeRow.id == employee_id)) or 0

    def reset_sign_in_failures(self, employee_id: int) -> None:
        with write(self.engine) as conn:
            conn.execute(
                update(EmployeeRow).where(EmployeeRow.id == employee_id).values(failed_attempts=0, locked_until=None)
            )

    def create_challenge(self, challenge: ChallengeRecord, sms: NewSms | None) -> None:
        with write(self.engine) as conn:
            conn.execute(
                insert(AuthChallengeRow).values(
                    id=challenge.id,
                    employee_id=challenge.employee_id,
                    channel=challenge.channel,
                    digest=challenge.digest,
                    expires_at=challenge.expires_at,
                    attempts=0,
                )
            )
            if sms is not None:
                conn.execute(insert(SmsOutboxRow).values(**sms_values(sms)))

    def challenge(self, challenge_id: str) -> ChallengeRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(select(AuthChallengeRow).where(AuthChallengeRow.id == challenge_id)).first()
        if row is None:
            return None
        return ChallengeRecord(
            row.id, row.employee_id, row.channel, row.digest, row.expires_at, row.used_at, row.attempts
        )

    def count_code_failure(self, challenge_id: str) -> int:
        with write(self.engine) as conn:
            conn.execute(
                update(AuthChallengeRow)
                .where(AuthChallengeRow.id == challenge_id)
                .values(attempts=AuthChallengeRow.attempts + 1)
            )
            return conn.scalar(select(AuthChallengeRow.attempts).where(AuthChallengeRow.id == challenge_id)) or 0

    def use_challenge(self, challenge_id: str, at: datetime, totp_counter: int | None) -> bool:
        """Mark the challenge used; False if someone used it first (single use)."""
        with write(self.engine) as conn:
            done = conn.execute(
                update(AuthChallengeRow)
                .where(AuthChallengeRow.id == challenge_id, AuthChallengeRow.used_at.is_(None))
                .values(used_at=at)
            )
            if done.rowcount != 1:
                return False
            if totp_counter is not None:
                employee_id = conn.scalar(
                    select(AuthChallengeRow.employee_id).where(AuthChallengeRow.id == challenge_id)
                )
                conn.execute(
                    update(EmployeeRow).where(EmployeeRow.id == employee_id).values(totp_last_counter=totp_counter)
                )
            return True

    def regions(self) -> list[Region]:
        with read(self.engine) as conn:
            rows = conn.execute(select(RegionRow.id, RegionRow.name).order_by(RegionRow.name)).all()
        return [Region(id=r.id, name=r.name) for r in rows]

    def towns(self, region_id: int) -> list[Town]:
        with read(self.engine) as conn:
            rows = conn.execute(select(TownRow).where(TownRow.region_id == region_id).order_by(TownRow.name)).all()
        return [Town(id=r.id, region_id=r.region_id, name=r.name) for r in rows]

    def town(self, town_id: int) -> Town | None:
        with read(self.engine) as conn:
            row = conn.execute(select(TownRow).where(TownRow.id == town_id)).first()
        return Town(id=row.id, region_id=row.region_id, name=row.name) if row else None

    def sms_templates(self) -> list[SmsTemplate]:
        with read(self.engine) as conn:
            rows = conn.execute(select(SmsTemplateRow).order_by(SmsTemplateRow.id)).all()
        return [SmsTemplate(code=r.code, name=r.name, text=r.text, texts=json.loads(r.texts or "{}")) for r in rows]

    def outbox(self, limit: int) -> list[OutboxItem]:
        with read(self.engine) as conn:
            rows = conn.execute(select(SmsOutboxRow).order_by(SmsOutboxRow.id.desc()).limit(limit)).all()
        return [outbox_item(r) for r in rows]
