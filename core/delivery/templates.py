"""E-mail templates: a subject and a body per language, Russian the default (I3)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_LANGUAGE = "ru"


@dataclass(frozen=True)
class EmailTemplate:
    code: str
    name: str
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {"subject", "body"}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:  # a field the caller has not got: empty, never a KeyError
        return ""


def render(template: EmailTemplate, language: str | None, **fields: str) -> tuple[str, str]:
    """(subject, body) in the client's language, else Russian."""
    texts = template.texts.get(language or "") or template.texts.get(DEFAULT_LANGUAGE) or {}
    values = _Blank(fields)
    return texts.get("subject", "").format_map(values), texts.get("body", "").format_map(values)
