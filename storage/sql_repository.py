"""`core.repository.Repository` over SQLAlchemy: SQLite (embedded) or PostgreSQL (a team)."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.repo_api import ApiQueries
from storage.repo_calls import CallQueries
from storage.repo_clients import ClientQueries
from storage.repo_people import PeopleQueries
from storage.repo_reports import ReportQueries


class SqlRepository(PeopleQueries, ClientQueries, ApiQueries, CallQueries, ReportQueries):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
