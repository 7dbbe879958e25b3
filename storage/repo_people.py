"""Repository queries about employees, sign-in challenges, the SMS outbox and reference data."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from core.access.models import EmployeeInfo
from core.access.store import ChallengeRecord, EmployeeRecord
from core.admin.rules import effective_access
from core.clients.models import OutboxItem, Region, SmsTemplate, Town
from core.clock import as_utc
from core.outbox import NewSms
from storage.engine import read, write
from storage.reference_cache import cache_of
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
            totp_secret=row.totp_secret,
            totp_last_counter=row.totp_last_counter,
        )

    def replace_password_hash(self, employee_id: int, old_hash: str, new_hash: str) -> bool:
        with write(self.engine) as conn:
            done = conn.execute(
                update(EmployeeRow)
                .where(EmployeeRow.id == employee_id, EmployeeRow.password_hash == old_hash)
                .values(password_hash=new_hash)
            )
        return done.rowcount == 1

    def employee_info(self, employee_id: int) -> EmployeeInfo | None:
        with read(self.engine) as conn:
            row = conn.execute(
                select(
                    EmployeeRow.id,
                    EmployeeRow.login,
                    EmployeeRow.full_name,
                    EmployeeRow.active,
                    EmployeeRow.must_change_password,
                    EmployeeRow.mask_phone.label("own_phone"),
                    EmployeeRow.mask_email.label("own_email"),
                    EmployeeRow.mask_country.label("own_country"),
                    EmployeeRow.read_only.label("own_read_only"),
                    RoleRow,
                )
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
        permissions, masked = effective_access(
            row.permissions.split(","),
            {"phone": row.mask_phone, "email": row.mask_email, "country": row.mask_country},
            row.read_only,
            {"phone": row.own_phone, "email": row.own_email, "country": row.own_country},
            row.own_read_only,
        )
        return EmployeeInfo(
            id=row.id,
            login=row.login,
            full_name=row.full_name,
            role=row.code,
            role_name=row.name,
            permissions=permissions,
            desk_ids=[d.id for d in desks],
            desks=[d.name for d in desks],
            masked=masked,
            must_change_password=row.must_change_password,
        )

    def create_challenge(self, challenge: ChallengeRecord, sms: NewSms | None) -> None:
        with write(self.engine) as conn:
            sms_id = None
            if sms is not None:
                sms_id = conn.execute(insert(SmsOutboxRow).values(**sms_values(sms))).inserted_primary_key[0]
            conn.execute(
                insert(AuthChallengeRow).values(
                    id=challenge.id,
                    employee_id=challenge.employee_id,
                    channel=challenge.channel,
                    digest=challenge.digest,
                    expires_at=challenge.expires_at,
                    attempts=0,
                    sms_id=sms_id,
                )
            )

    def challenge(self, challenge_id: str) -> ChallengeRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(select(AuthChallengeRow).where(AuthChallengeRow.id == challenge_id)).first()
        if row is None:
            return None
        return ChallengeRecord(
            row.id, row.employee_id, row.channel, row.digest, row.expires_at, row.used_at, row.attempts
        )

    def take_code_attempt(self, challenge_id: str, max_attempts: int, now: datetime) -> bool:
        """One conditional UPDATE ... RETURNING: atomic on SQLite (>= 3.35) and PostgreSQL."""
        c = AuthChallengeRow.__table__.c
        with write(self.engine) as conn:
            taken = conn.execute(
                update(AuthChallengeRow)
                .where(c.id == challenge_id, c.used_at.is_(None), c.expires_at > now, c.attempts < max_attempts)
                .values(attempts=c.attempts + 1)
                .returning(c.attempts)
            ).first()
        return taken is not None

    def use_challenge(self, challenge_id: str, at: datetime, totp_counter: int | None, redacted: str) -> bool:
        """Mark the challenge used; False if someone used it first (single use). Redacts its SMS."""
        c = AuthChallengeRow.__table__.c
        with write(self.engine) as conn:
            used = conn.execute(
                update(AuthChallengeRow)
                .where(c.id == challenge_id, c.used_at.is_(None))
                .values(used_at=at)
                .returning(c.employee_id, c.sms_id)
            ).first()
            if used is None:
                return False
            if used.sms_id is not None:
                conn.execute(update(SmsOutboxRow).where(SmsOutboxRow.id == used.sms_id).values(text=redacted))
                conn.execute(update(AuthChallengeRow).where(c.id == challenge_id).values(sms_id=None))
            if totp_counter is not None:
                conn.execute(
                    update(EmployeeRow).where(EmployeeRow.id == used.employee_id).values(totp_last_counter=totp_counter)
                )
            return True

    def redact_sign_in_codes(self, now: datetime, redacted: str) -> int:
        """Through the challenges, not the whole outbox: a redacted code's challenge forgets its SMS."""
        c = AuthChallengeRow.__table__.c
        with write(self.engine) as conn:
            ids = list(conn.scalars(select(c.sms_id).where(c.sms_id.is_not(None), c.expires_at <= now)))
            if ids:
                conn.execute(update(SmsOutboxRow).where(SmsOutboxRow.id.in_(ids)).values(text=redacted))
                conn.execute(update(AuthChallengeRow).where(c.sms_id.in_(ids)).values(sms_id=None))
            return len(ids)

    def regions(self) -> list[Region]:
        """Reference data: read once, kept (storage.reference_cache); an edit of the personal block
        checks its region against them."""
        return list(cache_of(self).get("regions", self._read_regions))

    def _read_regions(self) -> list[Region]:
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
        """Reference data: read once, kept (storage.reference_cache)."""
        return list(cache_of(self).get("sms_templates", self._read_sms_templates))

    def _read_sms_templates(self) -> list[SmsTemplate]:
        with read(self.engine) as conn:
            rows = conn.execute(select(SmsTemplateRow).order_by(SmsTemplateRow.id)).all()
        return [SmsTemplate(code=r.code, name=r.name, text=r.text, texts=json.loads(r.texts or "{}")) for r in rows]

    def outbox(self, limit: int) -> list[OutboxItem]:
        with read(self.engine) as conn:
            rows = conn.execute(select(SmsOutboxRow).order_by(SmsOutboxRow.id.desc()).limit(limit)).all()
        return [outbox_item(r) for r in rows]
