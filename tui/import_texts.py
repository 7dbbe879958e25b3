"""The import's and export's core messages with values inside (M9): their templates, for
`tui.errors.translate_message`; a bad row's reason is read by `tui.errors.row_reason`."""

from __future__ import annotations

from tui.i18n import N_

IMPORT_PATTERNS = (
    (r"^The file is over (?P<n>\d+) MB\.$", N_("The file is over {n} MB.")),
    (r"^The file has over (?P<n>\d+) rows; split it\.$", N_("The file has over {n} rows; split it.")),
    (r"^The file has over (?P<n>\d+) columns\.$", N_("The file has over {n} columns.")),
    (r"^Line (?P<n>\d+) of the file cannot be read as CSV\.$", N_("Line {n} of the file cannot be read as CSV.")),
    (r"^Unknown field '(?P<name>.*)'; use one of (?P<names>.+)\.$", N_("Unknown field '{name}'; use one of {names}.")),
    (r"^No column '(?P<column>.*)' in the file\.$", N_("No column '{column}' in the file.")),
    (r"^Two columns are mapped to (?P<name>\S+)\.$", N_("Two columns are mapped to {name}.")),
    (r"^Unknown file format '(?P<name>.*)'; use csv or xlsx\.$", N_("Unknown file format '{name}'; use csv or xlsx.")),
    (r"^At most (?P<n>\d+) clients a file\.$", N_("At most {n} clients a file.")),
    (
        r"^client type: unknown; use one of (?P<names>.+)\.$",
        N_("client type: unknown; use one of {names}."),
    ),
)

# A row's problems after its column (core.imports.rules.parse_row).
ROW_PROBLEMS = (
    N_("not a valid phone number."),
    N_("no phone number."),
    N_("not valid."),
)
