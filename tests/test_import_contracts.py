"""The layer rules of ARCHITECTURE.md are import contracts (.importlinter), checked here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("core", "storage", "tui", "api")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the copy in cwd, not the installed tree
    return subprocess.run(
        [str(LINT), "--no-cache", str(cwd / ".importlinter")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(dest: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
    shutil.copy(ROOT / "cli.py", dest / "cli.py")
    shutil.copy(ROOT / ".importlinter", dest / ".importlinter")


def test_the_tree_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/zz_violation.py", "import textual\n", "core imports no storage"),
        ("core/zz_violation.py", "from storage import engine\n", "core imports no storage"),
        ("storage/zz_violation.py", "import tui\n", "storage imports neither"),
        ("tui/zz_violation.py", "import api.app\n", "do not import each other"),
    ],
)
def test_a_deliberate_violation_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    _copy_tree(tmp_path)
    (tmp_path / module).write_text(line, encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout
