"""`crm db upgrade`: Alembic migrations, run programmatically on the given engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; then make sure the reference data exists."""
    from storage.reference import ensure_reference_data

    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    ensure_reference_data(engine)


def is_current(engine: Engine) -> bool:
    """True when the schema exists (cheap check used before opening a store)."""
    return inspect(engine).has_table("alembic_version")
