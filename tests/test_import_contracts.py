"""The layer rules of ARCHITECTURE.md are import contracts (.importlinter), checked here; and no
module of `storage` reaches itself through a circle of imports (import-linter has no such
contract: grimp, its graph library, finds them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
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


def _cycles(package: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Pairs of modules of `package` each reaching the other, with both import chains."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    found = []
    for i, first in enumerate(modules):
        for second in modules[i + 1 :]:
            there = graph.find_shortest_chain(first, second)
            back = there and graph.find_shortest_chain(second, first)
            if there and back:
                found.append((there, back))
    return found


@pytest.mark.parametrize("package", ["core", "storage", "tui", "api"])
def test_no_import_cycle_inside_a_layer(package: str) -> None:
    assert _cycles(package) == []


def test_an_import_cycle_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "zz_cycle"
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "people.py").write_text("from zz_cycle import history\n", encoding="utf-8")
    (root / "history.py").write_text("from zz_cycle import products\n", encoding="utf-8")
    (root / "products.py").write_text(  # a type-only import closes a cycle too
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from zz_cycle import people\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert ("zz_cycle.history", "zz_cycle.products") in [pair[0] for pair in _cycles("zz_cycle")]
