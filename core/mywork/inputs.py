"""What 'My work' takes: how many rows per section, the employee's time zone."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.mywork.rules import SECTION_MAX
from core.shapes import text

SectionLimit = Annotated[int, Field(strict=True, ge=1, le=SECTION_MAX)]
ZoneName = text(64, 1)
