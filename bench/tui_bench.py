"""Console latency measured inside the app (not with Pilot's press/pause, which sleeps).

    .venv/bin/python bench/tui_bench.py --db bench/data/demo-1000000.sqlite3

1. Keystroke -> results: a surname typed letter by letter into the search line; for every key
   from the second letter on, the time from posting the key event to the app until the results
   table for that text has been refreshed on screen (SearchScreen.on_results_shown fires after
   the refresh). Then phones in written forms: Enter -> results refreshed.
2. Opening a card: Enter on a result -> the card with its first history page (50 of ~500
   entries) and every tab filled, refreshed on screen (CardScreen.on_card_shown).

Prints medians and percentiles; no asserts on time. Signs in as --login with password = login
(the demo's convention), reading the one-time code from the SMS outbox.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, values: list[float]) -> None:
    if not values:
        print(f"{name}: no samples")
        return
    ms = [v * 1000 for v in values]
    print(
        f"{name}: n={len(ms)}  p50={statistics.median(ms):.1f} ms  p90={percentile(ms, 0.9):.1f} ms  "
        f"p99={percentile(ms, 0.99):.1f} ms  max={max(ms):.1f} ms"
    )


def pick_data(db: str, surnames: int, seed: int) -> tuple[list[str], list[str], int | None, int]:
    """Surnames and phones to search, and the client whose history is closest above 500 entries."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        top = conn.execute("SELECT max(id) FROM client").fetchone()[0] or 0
        rng = random.Random(seed)
        names: list[str] = []
        phones: list[str] = []
        while len(names) < surnames and top:
            row = conn.execute("SELECT id, surname FROM client WHERE id = ?", (rng.randint(1, top),)).fetchone()
            if row is None:
                continue
            names.append(row[1])
            phone = conn.execute("SELECT e164 FROM phone WHERE client_id = ? LIMIT 1", (row[0],)).fetchone()
            if phone and phone[0].startswith("+7") and len(phone[0]) == 12:
                d = phone[0][2:]
                phones.append(rng.choice([f"8 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}", f"+7 ({d[:3]}) {d[3:]}", d]))
        heavy = conn.execute(
            "SELECT client_id, count(*) AS n FROM contact WHERE client_id IN "
            "(SELECT client_id FROM contact ORDER BY client_id LIMIT 200000) "
            "GROUP BY client_id HAVING n >= 500 ORDER BY n LIMIT 1"
        ).fetchone()
        if heavy is None:
            heavy = conn.execute(
                "SELECT client_id, count(*) AS n FROM contact GROUP BY client_id ORDER BY n DESC LIMIT 1"
            ).fetchone()
    finally:
        conn.close()
    return names, phones, (heavy[0] if heavy else None), (heavy[1] if heavy else 0)


def sign_in(db: str, login: str, password: str):  # type: ignore[no-untyped-def]
    from storage.local import open_console
    from storage.sql_repository import SqlRepository

    console = open_console(db)
    challenge = console.sign_in(login, password)
    text = SqlRepository(console.repo.engine).outbox(1)[0].text  # type: ignore[attr-defined]
    code = re.search(r"(\d{6})", text).group(1)  # type: ignore[union-attr]
    console.verify_code(challenge.challenge_id, code)
    return console


async def run(args: argparse.Namespace) -> None:
    from textual import events

    from core.settings import Settings
    from tui.app import CrmApp
    from tui.screens.search import SearchScreen

    names, phones, heavy_id, heavy_n = pick_data(args.db, args.surnames, args.seed)
    console = sign_in(args.db, args.login, args.password or args.login)
    app = CrmApp(Settings(database=args.db, lang="en"), console_factory=lambda: console, employee=console.whoami())
    typed: list[float] = []
    entered: list[float] = []
    cards: list[float] = []
    counts: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        query = screen.query_one("#query")
        shown: asyncio.Queue[float] = asyncio.Queue()
        screen.on_results_shown = lambda _q, _started: shown.put_nowait(time.perf_counter())

        async def key(name: str, char: str | None) -> float | None:
            """Post one key to the app; the time until results are on screen (None: no search ran)."""
            t0 = time.perf_counter()
            app.post_message(events.Key(name, char))
            try:
                t1 = await asyncio.wait_for(shown.get(), timeout=args.wait)
            except TimeoutError:
                return None
            return t1 - t0

        async def clear() -> None:
            query.value = ""  # type: ignore[attr-defined]
            await pilot.pause()
            while not shown.empty():
                shown.get_nowait()

        for name in names:
            await clear()
            text = name.lower()
            for index, char in enumerate(text):
                latency = await key(char, char) if index >= 1 else None
                if index == 0:
                    app.post_message(events.Key(char, char))
                    await pilot.pause()
                elif latency is not None:
                    typed.append(latency)
            counts.append(screen.query_one("#results").row_count)  # type: ignore[attr-defined]
        for phone in phones:
            await clear()
            query.value = phone  # type: ignore[attr-defined]
            await pilot.pause()
            latency = await key("enter", "\r")
            if latency is not None:
                entered.append(latency)
            query.focus()
            await pilot.pause()

        if heavy_id is not None:
            for _ in range(args.cards):
                done: asyncio.Queue[float] = asyncio.Queue()
                for card in app._card_screens:
                    card.on_card_shown = lambda _card, q=done: q.put_nowait(time.perf_counter())
                t0 = time.perf_counter()
                card = app.open_card(heavy_id)  # what Enter on a result does
                card.on_card_shown = lambda _card, q=done: q.put_nowait(time.perf_counter())
                t1 = await asyncio.wait_for(done.get(), timeout=30)
                cards.append(t1 - t0)
                card.action_back()
                await pilot.pause()

    print(f"database: {args.db}")
    report("keystroke -> name results on screen", typed)
    print(f"  ({len(names)} surnames typed letter by letter; median rows shown {statistics.median(counts or [0]):.0f})")
    report("Enter on a phone (any written form) -> results on screen", entered)
    report(f"open a card with {heavy_n} history entries (client {heavy_id}) -> on screen", cards)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a CRM SQLite database (e.g. from `crm demo`)")
    parser.add_argument("--login", default="operator")
    parser.add_argument("--password", default=None, help="default: the login (demo convention)")
    parser.add_argument("--surnames", type=int, default=30)
    parser.add_argument("--cards", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wait", type=float, default=5.0, help="seconds to wait for results of one key")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
