"""Operator-facing text of errors: core messages are English; the catalogue translates them.

Fixed messages are msgids themselves. Messages with a value inside (a phone, a name, an age) are
matched by the patterns below and rebuilt from a translated template; the values that are
vocabulary (a field name, a client type, a reason) are translated too.
"""

from __future__ import annotations

import re

from core.errors import CrmError
from tui.i18n import N_, _
from tui.import_texts import IMPORT_PATTERNS

# core.admin, core.custody and storage.repo_admin (administration: S3-S6, C17, F3).
ADMIN_PATTERNS = (
    (
        r"^Someone changed this employee meanwhile \(now version (?P<now>\d+), you edited (?P<was>\d+)\): "
        r"reopen and edit again\.$",
        N_("Someone changed this employee meanwhile (now version {now}, you edited {was}): reopen and edit again."),
    ),
    (
        r"^Someone changed this role meanwhile \(now version (?P<now>\d+), you edited (?P<was>\d+)\): "
        r"reopen and edit again\.$",
        N_("Someone changed this role meanwhile (now version {now}, you edited {was}): reopen and edit again."),
    ),
    (
        r"^Someone changed this desk meanwhile \(now version (?P<now>\d+), you edited (?P<was>\d+)\): "
        r"reopen and edit again\.$",
        N_("Someone changed this desk meanwhile (now version {now}, you edited {was}): reopen and edit again."),
    ),
    (
        r"^Someone changed this region meanwhile \(now version (?P<now>\d+), you edited (?P<was>\d+)\): "
        r"reopen and edit again\.$",
        N_("Someone changed this region meanwhile (now version {now}, you edited {was}): reopen and edit again."),
    ),
    (
        r"^Unknown time zone '(?P<name>.+)': write an IANA name such as Asia/Omsk\.$",
        N_("Unknown time zone '{name}': write an IANA name such as Asia/Omsk."),
    ),
    (r"^No region with id (?P<id>\d+)\.$", N_("No region with id {id}.")),
    (
        r"^The role is given to (?P<n>\d+) employee\(s\): give them another role first\.$",
        N_("The role is given to {n} employee(s): give them another role first."),
    ),
    (
        r"^(?P<n>\d+) employee\(s\) of this role belong to several desks: leave them one desk first\.$",
        N_("{n} employee(s) of this role belong to several desks: leave them one desk first."),
    ),
    (r"^A role '(?P<code>.+)' exists already\.$", N_("A role '{code}' exists already.")),
    (r"^A desk '(?P<name>.+)' exists already\.$", N_("A desk '{name}' exists already.")),
    (r"^Unknown role '(?P<code>.+)'\.$", N_("Unknown role '{code}'.")),
    (r"^Login '(?P<login>.+)' is taken\.$", N_("Login '{login}' is taken.")),
    (r"^No desk with id (?P<id>\d+)\.$", N_("No desk with id {id}.")),
    (r"^No employee with id (?P<id>\d+)\.$", N_("No employee with id {id}.")),
    (r"^No role with id (?P<id>\d+)\.$", N_("No role with id {id}.")),
    (r"^Unknown permission: (?P<names>.+)\.$", N_("Unknown permission: {names}.")),
    (
        r"^Password: at least (?P<n>\d+) characters, no spaces at either end\.$",
        N_("Password: at least {n} characters, no spaces at either end."),
    ),
    (
        r"^At most (?P<n>\d+) clients go in one hand-over; narrow the search\.$",
        N_("At most {n} clients go in one hand-over; narrow the search."),
    ),
)

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), template)
    for p, template in (
        (
            r"^Personal data of a card of type '(?P<label>.+)' cannot be changed\.$",
            N_("Personal data of a card of type '{label}' cannot be changed."),
        ),
        (r"^(?P<field>[A-Z][a-z ]+) is required\.$", N_("{field} is required.")),
        (
            r"^(?P<field>[A-Z][a-z ]+) may hold letters, spaces, hyphens only\.$",
            N_("{field} may hold letters, spaces, hyphens only."),
        ),
        (
            r"^Birth date gives an age of (?P<age>-?\d+); expected (?P<low>\d+) to (?P<high>\d+)\.$",
            N_("Birth date gives an age of {age}; expected {low} to {high}."),
        ),
        (r"^'(?P<text>.*)' is not a valid e-mail address\.$", N_("'{text}' is not a valid e-mail address.")),
        (r"^'(?P<text>.*)' is not a valid phone number\.$", N_("'{text}' is not a valid phone number.")),
        (
            r"^'(?P<text>.*)' is not a valid phone number, CRM id or passport\.$",
            N_("'{text}' is not a valid phone number, CRM id or passport."),
        ),
        (r"^Choose a reason: (?P<allowed>.+)\.$", N_("Choose a reason: {allowed}.")),
        (r"^Your role may not (?P<what>.+)\.$", N_("Your role may not {what}.")),
        (r"^No client with CRM id (?P<id>\d+)\.$", N_("No client with CRM id {id}.")),
        (r"^(?P<number>\S+) is already on this card\.$", N_("{number} is already on this card.")),
        (
            r"^The comment is longer than (?P<n>\d+) characters\.$",
            N_("The comment is longer than {n} characters."),
        ),
        (
            r"^Possible duplicate of (?P<n>\d+) existing card\(s\)\.$",
            N_("Possible duplicate of {n} existing card(s)."),
        ),
        (
            r"^No CRM database at (?P<target>.+): run 'crm demo' or 'crm db upgrade' first\.$",
            N_("No CRM database at {target}: run 'crm demo' or 'crm db upgrade' first."),
        ),
        (
            r"^Cannot reach the database (?P<target>\S+): (?P<detail>.*)$",
            N_("Cannot reach the database {target}: {detail}"),
        ),
        (
            r"^Unsupported database '(?P<name>.+)': use a SQLite file or a PostgreSQL URL\.$",
            N_("Unsupported database '{name}': use a SQLite file or a PostgreSQL URL."),
        ),
        *ADMIN_PATTERNS,
        *IMPORT_PATTERNS,
    )
]

# Values inside core messages that are vocabulary, not data.
VOCABULARY = (
    N_("Surname"),
    N_("First name"),
    N_("Patronymic"),
    N_("send SMS"),
    N_("add comments"),
    N_("enter new clients"),
    N_("enter recommendations (office staff only)"),
    N_("edit personal data"),
    N_("edit contact data"),
    N_("register clients in the cabinet"),  # M2 (core.trading.operations)
    N_("Only a Lead not yet in the cabinet can be registered."),
    N_("The card has no e-mail for the credentials."),
    N_("The client was registered in the cabinet meanwhile."),
)


def translate_message(message: str) -> str:
    """An English core message in the operator's language (unchanged when unknown)."""
    translated = _(message)
    if translated != message:
        return translated
    for pattern, template in PATTERNS:
        match = pattern.match(message)
        if match:
            values = {key: _translate_value(key, value) for key, value in match.groupdict().items()}
            return _(template).format(**values)
    return message


def _translate_value(key: str, value: str) -> str:
    if key == "allowed":
        return ", ".join(_(part) for part in value.split(", "))
    if key in ("field", "label", "what"):
        return _(value)
    return value


def error_text(exc: BaseException) -> str:
    """What the status line says about an exception from a Console call."""
    if isinstance(exc, CrmError):
        return translate_message(exc.message)
    if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
        return _("The store does not answer: {error}").format(error=exc)
    return _("Unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")


def row_reason(reason: str) -> str:
    """An import's bad-row reason (`column: problem` or a sentence) in the operator's language: the
    column keeps the file's own name, the problem is translated."""
    whole = translate_message(reason)
    if whole != reason:
        return whole
    column, sep, problem = reason.rpartition(": ")
    return f"{column}: {translate_message(problem)}" if sep else reason
