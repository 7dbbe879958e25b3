"""What employees send to the pipeline, with its limits (core.shapes)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.shapes import Code, Comment, Flag, Id, Moment, Shape, text
from core.work.rules import MAX_CONDITIONS, PAGE_MAX, TAG_LEN

ValueText = text(100)
TagText = text(TAG_LEN + 1, 1)
Offset = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]
Limit = Annotated[int, Field(strict=True, ge=1, le=PAGE_MAX)]


class NewAction(Shape):
    type: Code
    due_at: Moment
    employee_id: Id | None = None  # None: me
    comment: Comment | None = None


class ActionTypeDraft(Shape):
    code: Code
    name: text(100, 1)  # type: ignore[valid-type]
    position: Annotated[int, Field(strict=True, ge=0, le=1000)] = 0
    active: Flag = True


class ConditionIn(Shape):
    field: text(40, 1)  # type: ignore[valid-type]
    op: text(10, 1)  # type: ignore[valid-type]
    values: list[ValueText] = Field(default=[], max_length=2)  # type: ignore[valid-type]


class ListQuery(Shape):
    """An unsaved view: conditions, the sort and a page."""

    conditions: list[ConditionIn] = Field(default=[], max_length=MAX_CONDITIONS)
    sort: text(40) | None = None  # type: ignore[valid-type]
    descending: Flag = False
    offset: Offset = 0
    limit: Limit = 50


class ViewDraft(Shape):
    name: text(80, 1)  # type: ignore[valid-type]
    subject: text(10, 1)  # type: ignore[valid-type]
    shared: Flag = False
    conditions: list[ConditionIn] = Field(default=[], max_length=MAX_CONDITIONS)
    sort: text(40) | None = None  # type: ignore[valid-type]
    descending: Flag = False


class TagEdit(Shape):
    add: list[TagText] = Field(default=[], max_length=20)  # type: ignore[valid-type]
    remove: list[TagText] = Field(default=[], max_length=20)  # type: ignore[valid-type]
