"""Repository queries of the HTTP API: bearer tokens (core.access.tokens) and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.access.tokens import TokenRecord
from core.idempotency import IdempotencyClaim, IdempotencyRace, IdempotencyRecord
from storage.driver_sql import Fixed
from storage.engine import read, write
from storage.repo_floor import floor_session_ended, floor_session_seen
from storage.tables import EmployeeRow
from storage.tables_access import ApiTokenRow, IdempotencyKeyRow

_token = ApiTokenRow.__table__.c
_idem = IdempotencyKeyRow.__table__.c
# Built once: it runs on every request of the API.
_TOKEN_QUERY = (
    select(
        _token.digest,
        _token.employee_id,
        _token.created_at,
        _token.last_used_at,
        _token.revoked_at,
        _token.auth_version,
        EmployeeRow.auth_version,
        EmployeeRow.access_version,
    )
    .join(EmployeeRow, EmployeeRow.id == _token.employee_id)
    .where(_token.digest == bindparam("digest"), EmployeeRow.active.is_(True))
)
_TOKEN_RUN = Fixed(_TOKEN_QUERY)  # every API request: on the driver's cursor (storage.driver_sql)


# The key in the caller's own transaction, without a savepoint: no row returned = taken meanwhile.
_KEY_FIELDS = ("employee_id", "key", "operation", "request_hash", "response", "created_at")
_CLAIM = {
    name: Fixed(
        dialect.insert(IdempotencyKeyRow)
        .values({f: bindparam(f"k_{f}") for f in _KEY_FIELDS})
        .on_conflict_do_nothing()
        .returning(IdempotencyKeyRow.key)
    )
    for name, dialect in (("sqlite", sqlite), ("postgresql", postgresql))
}


def claim_key(conn: Connection, claim: IdempotencyClaim, response: str) -> None:
    """Store the key with the answer in the caller's transaction; IdempotencyRace if it is taken."""
    values = {
        "k_employee_id": claim.employee_id,
        "k_key": claim.key,
        "k_operation": claim.operation,
        "k_request_hash": claim.request_hash,
        "k_response": response,
        "k_created_at": claim.created_at,
    }
    if not _CLAIM[conn.dialect.name].rows(conn, values):
        raise IdempotencyRace()


class ApiQueries:
    engine: Engine

    # --- tokens -------------------------------------------------------------------------

    def create_token(self, digest: str, employee_id: int, at: datetime) -> None:
        with write(self.engine) as conn:
            version = select(EmployeeRow.auth_version).where(EmployeeRow.id == employee_id).scalar_subquery()
            conn.execute(
                insert(ApiTokenRow).values(
                    digest=digest, employee_id=employee_id, created_at=at, last_used_at=at, auth_version=version
                )
            )

    def token(self, digest: str) -> TokenRecord | None:
        with read(self.engine) as conn:  # an API request's first read: its unit of work continues it
            rows = _TOKEN_RUN.rows(conn, {"digest": digest})
        return TokenRecord(*rows[0]) if rows else None

    def touch_token(self, digest: str, at: datetime) -> None:
        with write(self.engine) as conn:
            conn.execute(update(ApiTokenRow).where(_token.digest == digest).values(last_used_at=at))
            floor_session_seen(conn, digest, at)  # the token's console session is on the floor while used

    def revoke_token(self, digest: str, at: datetime) -> None:
        with write(self.engine) as conn:
            conn.execute(
                update(ApiTokenRow).where(_token.digest == digest, _token.revoked_at.is_(None)).values(revoked_at=at)
            )
            floor_session_ended(conn, digest)

    def purge_tokens(self, before: datetime) -> int:
        """Drop tokens unused since `before` (they are dead anyway)."""
        with write(self.engine) as conn:
            return conn.execute(delete(ApiTokenRow).where(_token.last_used_at < before)).rowcount

    # --- idempotency keys ---------------------------------------------------------------

    def idempotent_response(self, employee_id: int, key: str) -> IdempotencyRecord | None:
        with read(self.engine) as conn:
            row = conn.execute(
                select(IdempotencyKeyRow).where(_idem.employee_id == employee_id, _idem.key == key)
            ).first()
        if row is None:
            return None
        return IdempotencyRecord(
            row.key, row.employee_id, row.operation, row.request_hash, row.response, row.created_at
        )

    def purge_idempotency_keys(self, before: datetime) -> int:
        with write(self.engine) as conn:
            return conn.execute(delete(IdempotencyKeyRow).where(_idem.created_at < before)).rowcount
