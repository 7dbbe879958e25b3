"""Console starts one after another in one process: what each console test pays before its first key.

    .venv/bin/python bench/restart_bench.py --db bench/data/demo-10000.sqlite3 --starts 15

Each start is a new CrmApp run headless at 80x24 (Textual's `run_test`) until its first screen is
drawn and nothing is left to do; two kinds, taking turns:
- sign-in: the app on the sign-in screen, its store opened in the worker;
- signed in: the app given a console signed in already (as the console tests and
  `bench/tui_bench.py` start it), on the Office with the search line focused.
The first start of each kind (imports, the CSS parsed) is left out. Prints the medians of the
process's CPU time (user+sys, all threads) and of the wall clock per start; no asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_bench import sign_in  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def start(db: str, console: object | None) -> None:
    from core.settings import Settings
    from tests.tui.quiet import settled
    from tui.app import CrmApp

    settings = Settings(database=db, lang="en", worker=False)
    if console is None:
        app = CrmApp(settings)
    else:
        app = CrmApp(settings, console_factory=lambda: console, employee=console.whoami())  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)):
        await settled(app)
        if console is not None:
            assert app.screen.focused is not None and app.screen.focused.id == "query", app.screen.focused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(Path(__file__).parent / "data" / "demo-10000.sqlite3"))
    parser.add_argument("--login", default="operator")
    parser.add_argument("--starts", type=int, default=15)
    args = parser.parse_args()
    samples: dict[str, list[tuple[float, float]]] = {"sign-in": [], "signed in": []}
    for index in range(args.starts + 1):
        for kind in samples:
            console = sign_in(args.db, args.login, args.login) if kind == "signed in" else None
            c0, t0 = cpu(), time.perf_counter()
            asyncio.run(start(args.db, console))
            if index:  # the first start of each kind imports and parses
                samples[kind].append((cpu() - c0, time.perf_counter() - t0))
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"{args.starts} starts of each kind in one process, headless 80x24; load average {load}")
    for kind, runs in samples.items():
        cpu_ms = statistics.median(c for c, _w in runs) * 1000
        wall_ms = statistics.median(w for _c, w in runs) * 1000
        print(f"  {kind:9s}: CPU {cpu_ms:6.1f} ms, wall {wall_ms:6.1f} ms per start (median)")


if __name__ == "__main__":
    main()
