"""The outboxes' store (`core.delivery.store.DeliveryStore`): one message claimed per transaction
(FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite), its outcome under the claim."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Engine,
    Integer,
    Table,
    and_,
    bindparam,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)

from core.clients.models import OutboxItem
from core.clock import as_utc
from core.delivery.rules import UNKNOWN_OUTCOME, DeliveryStatus
from core.delivery.sender import Outgoing
from core.delivery.templates import EmailTemplate
from core.outbox import NewEmail
from storage.engine import read, write
from storage.reference_cache import cache_of
from storage.tables import ClientRow, SmsOutboxRow
from storage.tables_delivery import EmailOutboxRow, EmailTemplateRow

S: Table = SmsOutboxRow.__table__  # type: ignore[attr-defined]
E: Table = EmailOutboxRow.__table__  # type: ignore[attr-defined]
QUEUED, SENDING, SENT, FAILED = (s.value for s in DeliveryStatus)


def _statements(t: Table) -> dict[str, Any]:
    """The claim's and the outcome's statements of one outbox table, built once."""
    is_due = and_(
        t.c.status == QUEUED,
        or_(t.c.send_after.is_(None), t.c.send_after <= bindparam("now")),
        or_(t.c.next_try_at.is_(None), t.c.next_try_at <= bindparam("now")),
    )
    cut = and_(t.c.status == SENDING, t.c.claimed_until < bindparam("now"))
    due = (
        select(t.c.id)
        .where(is_due)
        .order_by(t.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite renders none and holds the write lock
        .scalar_subquery()
    )
    text = (t.c.text, null().label("subject")) if t is S else (t.c.body.label("text"), t.c.subject)
    mine = and_(t.c.id == bindparam("message_id"), t.c.claim_token == bindparam("token"), t.c.status == SENDING)
    sent: dict[str, Any] = {"status": SENT, "sent_at": bindparam("now"), "error": None, "claim_token": None}
    if t is E:  # a secret body (M2's password) is kept only until the server took it
        sent |= {"body": func.coalesce(E.c.redacted, E.c.body), "redacted": None}
    return {
        "any": select(t.c.id).where(or_(is_due, cut)).limit(1),  # an idle outbox: one read, no write lock
        "expire": update(t)
        .where(cut)
        .values(status=FAILED, error=UNKNOWN_OUTCOME, claim_token=None, claimed_until=None),
        "claim": update(t)
        .where(t.c.id == due)
        .values(
            status=SENDING, attempts=t.c.attempts + 1, claim_token=bindparam("token"), claimed_until=bindparam("until")
        )
        .returning(t.c.id, t.c.to, t.c.attempts, *text),
        "sent": update(t).where(mine).values(**sent, claimed_until=None),
        "retry": update(t)
        .where(mine)
        .values(status=QUEUED, next_try_at=bindparam("retry_at"), error=bindparam("error"), claim_token=None),
        "fail": update(t).where(mine).values(status=FAILED, error=bindparam("error"), claim_token=None),
    }


_SQL = {"sms": _statements(S), "email": _statements(E)}


def _listing(client: bool) -> Any:
    def part(t: Table, channel: str) -> Any:
        subject = null() if t is S else t.c.subject
        body = t.c.text if t is S else func.coalesce(t.c.redacted, t.c.body)  # a secret is never listed
        q = select(
            literal(channel).label("channel"), t.c.id, t.c.to, subject.label("subject"), body.label("text"),
            t.c.status, t.c.purpose, t.c.created_at, t.c.send_after, t.c.sent_at, t.c.client_id,
            t.c.attempts, t.c.error,
        )  # fmt: skip
        return q.where(t.c.client_id == bindparam("client_id")) if client else q

    both = union_all(part(S, "sms"), part(E, "email")).subquery()
    return select(both).order_by(both.c.created_at.desc(), both.c.id.desc()).limit(bindparam("n", type_=Integer))


_LIST, _LIST_CLIENT = _listing(False), _listing(True)
_DESK = select(ClientRow.desk_id).where(ClientRow.id == bindparam("id"))
_TEMPLATES = select(EmailTemplateRow.code, EmailTemplateRow.name, EmailTemplateRow.texts).order_by(EmailTemplateRow.id)


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id, to=row.to, text=row.text, status=row.status, purpose=row.purpose,
        created_at=as_utc(row.created_at), send_after=as_utc(row.send_after) if row.send_after else None,
        client_id=row.client_id, channel=row.channel, subject=row.subject,
        sent_at=as_utc(row.sent_at) if row.sent_at else None, attempts=row.attempts or 0, error=row.error,
    )  # fmt: skip


class DeliveryQueries:
    engine: Engine

    def claim_message(self, channel: str, token: str, now: datetime, lease: timedelta) -> Outgoing | None:
        sql = _SQL[channel]
        with read(self.engine) as conn:
            if conn.execute(sql["any"], {"now": now}).first() is None:
                return None
        with write(self.engine) as conn:
            conn.execute(sql["expire"], {"now": now})
            row = conn.execute(sql["claim"], {"now": now, "token": token, "until": now + lease}).first()
        if row is None:
            return None
        return Outgoing(channel, row.id, row.to, row.text, row.subject, row.attempts)

    def finish_message(
        self, channel: str, message_id: int, token: str, now: datetime, error: str | None, retry_at: datetime | None
    ) -> bool:
        sql = _SQL[channel]
        key = "sent" if error is None else "retry" if retry_at is not None else "fail"
        values = {"message_id": message_id, "token": token, "now": now, "error": error, "retry_at": retry_at}
        with write(self.engine) as conn:
            return conn.execute(sql[key], values).rowcount == 1

    def email_templates(self) -> dict[str, EmailTemplate]:
        return dict(cache_of(self).get("email_templates", self._read_email_templates))

    def _read_email_templates(self) -> dict[str, EmailTemplate]:
        with read(self.engine) as conn:
            rows = conn.execute(_TEMPLATES).all()
        return {r.code: EmailTemplate(r.code, r.name, json.loads(r.texts or "{}")) for r in rows}

    def client_messages(self, client_id: int, limit: int) -> tuple[int | None, list[OutboxItem]] | None:
        with read(self.engine) as conn:
            client = conn.execute(_DESK, {"id": client_id}).first()
            if client is None:
                return None
            rows = conn.execute(_LIST_CLIENT, {"n": limit, "client_id": client_id}).all()
        return client.desk_id, [_item(r) for r in rows]

    def messages(self, limit: int, client_id: int | None = None) -> list[OutboxItem]:
        with read(self.engine) as conn:
            if client_id is None:
                rows = conn.execute(_LIST, {"n": limit}).all()
            else:
                rows = conn.execute(_LIST_CLIENT, {"n": limit, "client_id": client_id}).all()
        return [_item(r) for r in rows]


def email_values(email: NewEmail) -> dict[str, object]:
    """The row of a new e-mail (inserted by the operation that writes it, in its transaction)."""
    return {
        "to": email.to, "subject": email.subject, "body": email.body, "redacted": email.redacted,
        "status": QUEUED, "purpose": email.purpose, "created_at": email.created_at, "send_after": email.send_after,
        "client_id": email.client_id, "employee_id": email.employee_id, "template_code": email.template_code,
        "attempts": 0,
    }  # fmt: skip


EMAIL_INSERT = insert(E)
