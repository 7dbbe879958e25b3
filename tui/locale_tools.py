"""The gettext catalogue `crm` through Babel; which sources hold msgids is said in babel.cfg.

    python -m tui.locale_tools extract   # pybabel extract -> tui/locale/crm.pot, pybabel update -> every crm.po
    python -m tui.locale_tools compile   # pybabel compile: crm.mo next to each crm.po (checked in)
    python -m tui.locale_tools check     # exit 1 when a msgid is untranslated, fuzzy, missing or the .mo stale
    python -m tui.locale_tools adopt OTHER.po  # take another branch's translations into crm.po (a merge)

`update` keeps every translation, marks a changed msgid's guess fuzzy and drops msgids no longer
used; `compile` leaves fuzzy and untranslated entries out. The exact pybabel command lines are
`EXTRACT`, `UPDATE` and `COMPILE` below (run from the project's top folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "babel.cfg"
LOCALE_DIR = ROOT / "tui" / "locale"
POT_FILE = LOCALE_DIR / "crm.pot"  # a by-product of `extract`, not kept in git
PO_FILE = LOCALE_DIR / "ru" / "LC_MESSAGES" / "crm.po"
MO_FILE = PO_FILE.with_suffix(".mo")

_WRITE = ["--no-wrap"]
EXTRACT = ["extract", "-F", "babel.cfg", "-o", "tui/locale/crm.pot", "--project", "crm-console"]
EXTRACT += ["--sort-output", "--no-location", *_WRITE, "."]
UPDATE = ["update", "-i", "tui/locale/crm.pot", "-d", "tui/locale", "-D", "crm"]
UPDATE += ["--ignore-obsolete", "--ignore-pot-creation-date", *_WRITE]
COMPILE = ["compile", "-d", "tui/locale", "-D", "crm", "--statistics"]


def pybabel(args: list[str], quiet: bool = False) -> int:
    """Run one `pybabel` command from the project's top folder."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        return CommandLineInterface().run(["pybabel", *(["-q"] if quiet else []), *args]) or 0  # type: ignore[no-any-return]
    finally:
        os.chdir(here)


def template() -> Catalog:
    """The msgids the sources hold now, with their places: what `pybabel extract -F babel.cfg` finds."""
    with CONFIG.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(CONFIG))
    catalog = Catalog(domain="crm", project="crm-console")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        catalog.add(message, None, [(Path(filename).as_posix(), lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(path: Path = PO_FILE) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale="ru", domain="crm")


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, tuple | list) else value


def translations(catalog: Catalog) -> dict[object, object]:
    """msgid -> msgstr of the entries a .mo holds: translated and not fuzzy (plurals as tuples)."""
    done = {}
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.id and not message.fuzzy and all(strings):
            done[_key(message.id)] = _key(message.string)
    return done


def adopt(other: Path, po_file: Path = PO_FILE) -> list[str]:
    """Copy into `po_file` the translations of `other` (e.g. `git show :3:<po>`, the other side of a
    merge) that it lacks; a msgid both translate differently keeps this file's text and is reported.
    Run `extract` and `compile` after it."""
    ours, theirs = read_catalog(po_file), read_catalog(other)
    done, offered = translations(ours), translations(theirs)
    clashes = []
    for message in theirs:
        key = _key(message.id)
        if key not in offered:
            continue
        if key in done:
            if done[key] != offered[key]:
                clashes.append(f"kept {done[key]!r}, not {offered[key]!r} for {message.id!r}")
        elif (mine := ours.get(message.id)) is not None:
            mine.string, mine.flags = message.string, mine.flags - {"fuzzy"}
        else:
            ours[message.id] = message
    with po_file.open("wb") as out:
        write_po(out, ours, width=None, sort_output=True, ignore_obsolete=True)
    return clashes


def problems(po_file: Path = PO_FILE, mo_file: Path = MO_FILE, wanted: Catalog | None = None) -> list[str]:
    """What `check` reports: untranslated or fuzzy entries, msgids not yet in the .po, a stale .mo."""
    catalog = read_catalog(po_file)
    done = translations(catalog)
    found = [f"untranslated: {m.id!r}" for m in catalog if m.id and m.id not in done and not m.fuzzy]
    found += [f"fuzzy: {m.id!r}" for m in catalog if m.id and m.fuzzy]
    if wanted is not None:
        found += [f"not in the catalogue: {m.id!r}" for m in wanted if m.id and m.id not in catalog]
    if not mo_file.is_file():
        return [*found, f"{mo_file.name} is missing: run python -m tui.locale_tools compile"]
    with mo_file.open("rb") as mo:
        compiled = read_mo(mo)
    if translations(compiled) != done or compiled.plural_forms != catalog.plural_forms:
        found.append(f"{mo_file.name} is stale: run python -m tui.locale_tools compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        code = pybabel(EXTRACT, quiet=True) or pybabel(UPDATE, quiet=True)
        catalog = read_catalog()
        done = translations(catalog)
        missing = [m for m in catalog if m.id and _key(m.id) not in done]
        print(f"{PO_FILE.relative_to(ROOT)}: {len(catalog)} msgids, {len(missing)} untranslated or fuzzy")
        return code
    if command == "compile":
        return pybabel(COMPILE)
    if command == "adopt" and len(argv) == 2:
        for clash in adopt(Path(argv[1])):
            print(clash)
        return 0
    if command != "check":
        print(f"usage: python -m tui.locale_tools extract|compile|check|adopt OTHER.po (not {argv})", file=sys.stderr)
        return 2
    found = problems(wanted=template())
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
