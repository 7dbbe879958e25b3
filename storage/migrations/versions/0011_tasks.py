"""tasks: tasks for employees, their watchers and history

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", S(length=200), nullable=False),
        sa.Column("text", S(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("deadline", T(), nullable=False),
        sa.Column("remind_at", T(), nullable=False),
        sa.Column("status", S(), nullable=False),
        sa.Column("returned", sa.Boolean(), nullable=False),
        sa.Column("comment", S(), nullable=True),
        sa.Column("repeat", S(length=120), nullable=True),
        sa.Column("zone", S(length=60), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("next_task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("done_at", T(), nullable=True),
        sa.Column("checked_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["assignee_id"], ["employee.id"]),
        sa.ForeignKeyConstraint(["series_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["next_task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index("ix_task_assignee_status_remind", ["assignee_id", "status", "remind_at"], unique=False)
        batch_op.create_index("ix_task_author_status", ["author_id", "status"], unique=False)
    op.create_table(
        "task_watcher",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("task_id", "employee_id"),
    )
    with op.batch_alter_table("task_watcher", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_watcher_employee_id"), ["employee_id"], unique=False)
    op.create_table(
        "task_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("event", S(length=20), nullable=False),
        sa.Column("comment", S(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_event_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_table("task_event")
    op.drop_table("task_watcher")
    op.drop_table("task")
