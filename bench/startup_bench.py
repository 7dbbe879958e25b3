"""Start-up of the console, from process start, next to a bare Textual app.

    .venv/bin/python bench/startup_bench.py --db bench/data/demo-10000.sqlite3 --runs 7

Each run is a new process (headless, 80x24). Figures are seconds since the process was spawned:
- bare app: a Textual app with a header, an input and a 50-row table, first screen drawn;
- console, sign-in screen drawn (the store is not imported yet: it loads in a worker after this);
- console, store open (SQLAlchemy/SQLModel imported and the database opened, in the background);
- console, search line ready: signed in at once as `--login` (password = login, the demo's
  convention; the code read from the SMS outbox) and the Office drawn with the search line focused.
  This includes the sign-in itself (argon2 password check and the code), which an operator's
  typing would hide; the sign-in round trips are printed apart.
Next to the wall-clock figures, the UI thread's own CPU time (`time.thread_time`) to the same
points: on a machine shared with other work it moves far less than the wall clock.
Prints medians; no asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import os, time, json
T0 = float(os.environ["BENCH_T0"])
from textual.app import App
from textual.widgets import DataTable, Header, Input

class Bare(App):
    def compose(self):
        yield Header()
        yield Input(placeholder="search")
        table = DataTable()
        table.add_columns("id", "name", "born", "type", "phone")
        for i in range(50):
            table.add_row(str(i), f"Client {i}", "01.01.1980", "internet", "+7 900 000-00-00")
        yield table

    def on_mount(self):
        self.call_after_refresh(self.done)

    def done(self):
        print(json.dumps({"first_screen": time.time() - T0, "cpu.first_screen": time.thread_time()}), flush=True)
        self.exit()

Bare().run(headless=True, size=(80, 24))
"""

CONSOLE = r"""
import os, time, json, re
T0 = float(os.environ["BENCH_T0"])
marks = {}
def mark(name):
    marks.setdefault(name, time.time() - T0)
    marks.setdefault("cpu." + name, time.thread_time())  # the UI thread's own CPU (a loaded machine)

from core.settings import Settings
from tui.app import CrmApp
from tui.screens import sign_in as sign_in_module
from tui.screens.sign_in import SignInScreen

original_mount = SignInScreen.on_mount
def on_mount(self):
    original_mount(self)
    self.call_after_refresh(lambda: mark("sign_in_screen"))
    self.call_after_refresh(lambda: self.app.call_later(start))
SignInScreen.on_mount = on_mount

app = CrmApp(Settings(database=os.environ["BENCH_DB"], lang="en"))
login = os.environ["BENCH_LOGIN"]

def start():
    screen = app.screen
    screen.query_one("#login").value = login
    screen.query_one("#password").value = login
    original_got = screen.got_challenge
    def got(challenge):
        mark("password_checked")
        original_got(challenge)
        from storage.sql_repository import SqlRepository
        text = SqlRepository(app.get_console().repo.engine).outbox(1)[0].text
        screen.query_one("#code").value = re.search(r"(\d{6})", text).group(1)
        screen.submit_code()
    screen.got_challenge = got
    mark("submit")
    screen.submit_password()

original_signed_in = app.signed_in
def signed_in(employee):
    mark("code_checked")
    original_signed_in(employee)
    def ready():
        if app.screen.focused is not None and app.screen.focused.id == "query":
            mark("search_line")
            print(json.dumps(marks), flush=True)
            app.exit()
        else:
            app.call_after_refresh(ready)
    app.call_after_refresh(ready)
app.signed_in = signed_in

original_open = app.open_store
def open_store():
    original_open()
    def wait():
        app._console.result()
        mark("store_open")
    import threading
    threading.Thread(target=wait, daemon=True).start()
app.open_store = open_store
app.run(headless=True, size=(80, 24))
"""


def run(code: str, env: dict[str, str]) -> dict[str, float]:
    env = {**os.environ, **env, "PYTHONPATH": str(ROOT), "BENCH_T0": repr(time.time())}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"run failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(lines[-1])


def median(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(s[key] for s in samples if key in s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(ROOT / "bench" / "data" / "demo-10000.sqlite3"))
    parser.add_argument("--login", default="operator")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {"BENCH_DB": args.db, "BENCH_LOGIN": args.login}
    run(BARE, env)  # warm the file cache once
    bare, console = [], []
    for _ in range(args.runs):  # interleaved: the machine's load moves during a run
        bare.append(run(BARE, env))
        console.append(run(CONSOLE, env))
    base = median(bare, "first_screen")
    print(f"runs: {args.runs} each, headless 80x24; load average {os.getloadavg()[0]:.1f}; db {args.db}")
    print(f"bare Textual app (header, input, 50-row table), first screen: {base:.3f} s")
    sign_in = median(console, "sign_in_screen")
    print(
        f"console, sign-in screen drawn:                          {sign_in:.3f} s  ({sign_in / base:.2f}x the bare app)"
    )
    print(f"console, store open in the background:                  {median(console, 'store_open'):.3f} s")
    search = median(console, "search_line")
    print(
        f"console, search line ready (signed in at once):         {search:.3f} s  ({search / base:.2f}x the bare app)"
    )
    checked = statistics.median(s["password_checked"] - s["submit"] for s in console)
    code = statistics.median(s["code_checked"] - s["password_checked"] for s in console)
    drawn = statistics.median(s["search_line"] - s["code_checked"] for s in console)
    print(f"  of which: password step {checked:.3f} s (waits for the store, argon2), code step {code:.3f} s,")
    print(f"            Office drawn after sign-in {drawn:.3f} s")
    print(
        f"  search line ready minus the two sign-in round trips:  {search - checked - code:.3f} s "
        f"({(search - checked - code) / base:.2f}x the bare app)"
    )
    cpu_base = median(bare, "cpu.first_screen")
    cpu = statistics.median(s["cpu.search_line"] - (s["cpu.code_checked"] - s["cpu.submit"]) for s in console)
    print(f"UI thread CPU: bare app {cpu_base:.3f} s; console to the search line minus the sign-in steps {cpu:.3f} s")
    print(f"  ({cpu / cpu_base:.2f}x; the sign-in screen {median(console, 'cpu.sign_in_screen'):.3f} s)")


if __name__ == "__main__":
    main()
