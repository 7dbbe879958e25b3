"""Catalogue tools without Babel or GNU gettext: extract msgids, merge the .po, compile the .mo.

    python -m tui.locale_tools extract   # add new msgids to tui/locale/ru/LC_MESSAGES/crm.po
    python -m tui.locale_tools compile   # write crm.mo next to crm.po
    python -m tui.locale_tools check     # exit 1 when a msgid is untranslated or the .mo is stale

Msgids come from `_()`, `N_()` and `ngettext()` in tui/, and from the English texts the core
shows to operators: constant messages of raised errors, read-only verdicts, vocabulary labels,
role names, product and SMS template names.
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "tui" / "locale" / "ru" / "LC_MESSAGES" / "crm.po"
MO_FILE = PO_FILE.with_suffix(".mo")
ERROR_NAMES = {
    "CrmError",
    "ValidationFailed",
    "PossibleDuplicate",
    "AuthFailed",
    "NotSignedIn",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "StoreUnavailable",
    "TooManyAttempts",
    "Verdict",
}
LABEL_COLUMNS = {"DEFAULT_ROLES": 0, "PRODUCTS": 2, "SMS_TEMPLATES": 1, "DEFAULT_ACTION_TYPES": 1}
HEADER = (
    "Project-Id-Version: crm-console\n"
    "Language: ru\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
)


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    strs: list[str] = field(default_factory=list)
    fuzzy: bool = False
    refs: list[str] = field(default_factory=list)


# --- extraction -----------------------------------------------------------------------------------


def _const(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _catalogue_labels(text: str) -> list[str]:
    import tomllib

    labels: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "label" and isinstance(item, str):
                    labels.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(tomllib.loads(text))
    return labels


def _scan(path: Path, tui: bool) -> list[tuple[str, str | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            args = node.args
            if tui and name in ("_", "N_") and args and _const(args[0]):
                found.append((_const(args[0]), None))  # type: ignore[arg-type]
            elif tui and name == "ngettext" and len(args) >= 2 and _const(args[0]) and _const(args[1]):
                found.append((_const(args[0]), _const(args[1])))  # type: ignore[arg-type]
            elif not tui and name in ERROR_NAMES:
                for arg in args:
                    if _const(arg):
                        found.append((_const(arg), None))  # type: ignore[arg-type]
        elif not tui and isinstance(node, ast.FunctionDef) and node.name == "__init__" and path.name == "errors.py":
            for default in node.args.defaults:  # AuthFailed(message="Wrong login ...")
                if _const(default):
                    found.append((_const(default), None))  # type: ignore[arg-type]
        elif not tui and isinstance(node, ast.Assign):
            target = node.targets[0]
            name = target.id if isinstance(target, ast.Name) else ""
            if name.endswith("_LABELS") and isinstance(node.value, ast.Dict):
                found += [(_const(v), None) for v in node.value.values if _const(v)]  # type: ignore[misc]
        elif (
            not tui
            and isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id in LABEL_COLUMNS
            and node.value is not None
        ):
            index = LABEL_COLUMNS[node.target.id]  # which element of each tuple is the label
            for item in ast.walk(node.value):
                if isinstance(item, ast.Tuple) and index < len(item.elts) and _const(item.elts[index]):
                    found.append((_const(item.elts[index]), None))  # type: ignore[arg-type]
    return found


def extract() -> dict[str, str | None]:
    """msgid -> msgid_plural (or None), in a stable order."""
    found: dict[str, str | None] = {}
    for path in sorted((ROOT / "tui").rglob("*.py")):
        if path.name != "locale_tools.py":
            for msgid, plural in _scan(path, tui=True):
                found.setdefault(msgid, plural)
    core_files = sorted((ROOT / "core").rglob("*.py")) + [
        ROOT / "storage" / "local.py",
        ROOT / "storage" / "catalogue.py",
    ]
    for path in core_files:
        if path.is_file():
            for msgid, plural in _scan(path, tui=False):
                found.setdefault(msgid, plural)
    catalogue = ROOT / "core" / "calls" / "results.toml"  # the result catalogue: its labels are msgids
    for text in _catalogue_labels(catalogue.read_text(encoding="utf-8")):
        found.setdefault(text, None)
    found.pop("", None)
    return found


# --- .po reading and writing ----------------------------------------------------------------------


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(text: str) -> tuple[str, list[Entry]]:
    entries: list[Entry] = []
    header = ""
    current: Entry | None = None
    section: tuple[str, int] | None = None
    fuzzy = False
    refs: list[str] = []

    def finish() -> None:
        nonlocal current, header
        if current is not None:
            if current.msgid == "":
                header = current.strs[0] if current.strs else ""
            else:
                entries.append(current)
        current = None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            section = None
            continue
        if line.startswith("#,"):
            finish()
            fuzzy = "fuzzy" in line
            continue
        if line.startswith("#:"):
            finish()
            refs.append(line[2:].strip())
            continue
        if line.startswith("#"):
            finish()
            continue
        if line.startswith("msgid_plural "):
            assert current is not None
            current.plural = _unquote(line[13:])
            section = ("plural", 0)
        elif line.startswith("msgid "):
            finish()
            current = Entry(_unquote(line[6:]), fuzzy=fuzzy, refs=refs)
            fuzzy, refs = False, []
            section = ("msgid", 0)
        elif line.startswith("msgstr["):
            assert current is not None
            index = int(line[7 : line.index("]")])
            while len(current.strs) <= index:
                current.strs.append("")
            current.strs[index] = _unquote(line[line.index("]") + 1 :].strip())
            section = ("msgstr", index)
        elif line.startswith("msgstr "):
            assert current is not None
            current.strs = [_unquote(line[7:])]
            section = ("msgstr", 0)
        elif line.startswith('"') and current is not None and section is not None:
            kind, index = section
            value = _unquote(line)
            if kind == "msgid":
                current.msgid += value
            elif kind == "plural":
                current.plural = (current.plural or "") + value
            else:
                current.strs[index] += value
    finish()
    return header, entries


def _quote(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def write_po(header: str, entries: list[Entry]) -> str:
    lines = ['msgid ""', 'msgstr ""']
    lines += [_quote(part) for part in header.splitlines(keepends=True)]
    for entry in entries:
        lines.append("")
        if entry.fuzzy:
            lines.append("#, fuzzy")
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.plural is not None:
            lines.append(f"msgid_plural {_quote(entry.plural)}")
            strs = entry.strs or ["", "", ""]
            lines += [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(strs)]
        else:
            lines.append(f"msgstr {_quote(entry.strs[0] if entry.strs else '')}")
    return "\n".join(lines) + "\n"


def merge(existing: list[Entry], wanted: dict[str, str | None]) -> list[Entry]:
    """Keep translations of msgids still in use, add new ones empty; drop the rest."""
    known = {e.msgid: e for e in existing}
    merged = []
    for msgid, plural in wanted.items():
        entry = known.get(msgid) or Entry(msgid, plural, ["", "", ""] if plural else [""])
        entry.plural = plural
        merged.append(entry)
    return merged


# --- .mo compiling ---------------------------------------------------------------------------------


def compile_mo(header: str, entries: list[Entry]) -> bytes:
    """The GNU .mo format (little endian, no hash table), as CPython's Tools/i18n/msgfmt.py writes it."""
    messages: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for entry in entries:
        if entry.fuzzy or not entry.strs or not all(entry.strs):
            continue
        key = entry.msgid if entry.plural is None else entry.msgid + "\0" + entry.plural
        messages[key.encode("utf-8")] = "\0".join(entry.strs).encode("utf-8")
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    count = len(keys)
    keystart = 7 * 4 + 16 * count
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    output = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    output += struct.pack(f"{len(koffsets)}i", *koffsets) if koffsets else b""
    output += struct.pack(f"{len(voffsets)}i", *voffsets) if voffsets else b""
    return output + ids + strs


def untranslated(entries: list[Entry]) -> list[str]:
    return [e.msgid for e in entries if e.fuzzy or not e.strs or not all(e.strs)]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    text = PO_FILE.read_text(encoding="utf-8") if PO_FILE.is_file() else ""
    header, entries = read_po(text)
    if command == "extract":
        entries = merge(entries, extract())
        PO_FILE.parent.mkdir(parents=True, exist_ok=True)
        PO_FILE.write_text(write_po(header or HEADER, entries), encoding="utf-8")
        missing = untranslated(entries)
        print(f"{len(entries)} msgids, {len(missing)} untranslated")
        return 0
    if command == "compile":
        MO_FILE.write_bytes(compile_mo(header, entries))
        print(f"wrote {MO_FILE.relative_to(ROOT)}")
        return 0
    problems = [f"untranslated: {m!r}" for m in untranslated(entries)]
    present = {e.msgid for e in entries}
    problems += [f"not in the catalogue: {m!r}" for m in extract() if m not in present]
    if not MO_FILE.is_file() or MO_FILE.read_bytes() != compile_mo(header, entries):
        problems.append("crm.mo is stale: run python -m tui.locale_tools compile")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
