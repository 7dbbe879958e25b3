"""`crm import` of a generated CSV (100,000 rows by default) into a fresh SQLite database, next to a
partner in the same run: a raw sqlite3 executemany of the same cards and phones into a copy of the
same schema — the least any import of those rows can cost.

    .venv/bin/python bench/import_bench.py                 # 100,000 rows
    .venv/bin/python bench/import_bench.py --rows 20000

Goal (issue 14): 100,000 rows in at most 60 s on SQLite.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.imports.inputs import ImportOptions  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.local import open_console  # noqa: E402
from storage.migrate import upgrade  # noqa: E402


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("Фамилия;Имя;Отчество;Телефон;Дата рождения;E-mail\n")
        for i in range(rows):
            out.write(f"Иванов;Иван;Петрович;8 (912) {i // 10000:03d}-{i % 10000 // 100:02d}-{i % 100:02d};"
                      f"{1 + i % 28:02d}.{1 + i % 12:02d}.{1950 + i % 50};c{i}@mail.ru\n")  # fmt: skip


def partner(db: Path, rows: int) -> float:
    """Raw executemany of the same cards, phones and e-mails, one transaction."""
    now = datetime.now(UTC).isoformat()
    conn = sqlite3.connect(db)
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO client (id, surname, first_name, patronymic, name_key, name_latin, client_type, lifecycle,"
            " do_not_disturb, possible_duplicate, language, created_at, personal_version, contact_version)"
            " VALUES (?, 'Иванов', 'Иван', 'Петрович', 'иванов иван петрович', 'ivanov ivan petrovich',"
            " 'interested', 'lead', 0, 0, 'ru', ?, 1, 1)",
            ((i + 1, now) for i in range(rows)),
        )
        conn.executemany(
            "INSERT INTO phone (client_id, e164, kind, status) VALUES (?, ?, 'mobile', 'active')",
            ((i + 1, f"+7912{i:07d}") for i in range(rows)),
        )
        conn.executemany(
            "INSERT INTO email (client_id, address, address_key) VALUES (?, ?, ?)",
            ((i + 1, f"c{i}@mail.ru", f"c{i}@mail.ru") for i in range(rows)),
        )
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "clients.csv"
        write_csv(source, args.rows)
        db = folder / "crm.sqlite3"
        engine = make_engine(str(db))
        upgrade(engine)
        engine.dispose()
        shutil.copyfile(db, folder / "partner.sqlite3")
        console = open_console(str(db))
        console.act_as_local_admin()
        start = time.perf_counter()
        report = console.import_clients(source.read_bytes(), source.name, ImportOptions())
        took = time.perf_counter() - start
        raw = partner(folder / "partner.sqlite3", args.rows)
        print(f"rows: {args.rows}, created {report.created}, bad {report.bad}")
        print(f"crm import:          {took:7.2f} s  ({args.rows / took:,.0f} rows/s)")
        print(f"raw executemany:     {raw:7.2f} s  ({args.rows / raw:,.0f} rows/s)")
        print(f"ratio import / raw:  {took / raw:7.1f}")


if __name__ == "__main__":
    main()
