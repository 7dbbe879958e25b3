"""What the installed `crm` needs is in the package: every top-level command module and data file."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_module_is_installed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["py-modules"])
    present = {p.stem for p in ROOT.glob("cli*.py")}
    assert present <= listed, f"add to [tool.setuptools] py-modules: {sorted(present - listed)}"
