"""Where a profile's samples go: py-spy's collapsed stacks (`--format raw`) summed two ways.

    .venv/bin/python bench/stack_share.py prof.txt                 # self time by package, top functions
    .venv/bin/python bench/stack_share.py prof.txt jsonable_encoder dispatch   # + inclusive shares

Self time goes to the package of the innermost frame (`sqlalchemy`, `pydantic`, `api`, ...);
the top functions are the innermost frames themselves; each PATTERN is the share of samples with
a frame whose text holds it (inclusive), counted once per stack.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def parse(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def package(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame[:40]
    file = match["file"].replace("\\", "/")
    if "site-packages/" in file:
        file = file.split("site-packages/", 1)[1]
    elif "/lib/python3" in file:
        return "stdlib:" + file.rsplit("/", 1)[-1]
    return file.split("/", 1)[0] if "/" in file else file


def main(argv: list[str]) -> int:
    stacks = parse(Path(argv[0]))
    total = sum(n for _, n in stacks) or 1
    by_package: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for frames, n in stacks:
        by_package[package(frames[-1])] += n
        by_function[frames[-1]] += n
    print(f"{total} samples")
    print("self time by package:")
    for name, n in by_package.most_common(25):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("top innermost frames:")
    for name, n in by_function.most_common(25):
        print(f"  {100 * n / total:5.1f}%  {name[:110]}")
    if argv[1:]:
        print("inclusive:")
    for pattern in argv[1:]:
        n = sum(n for frames, n in stacks if any(pattern in f for f in frames))
        print(f"  {100 * n / total:5.1f}%  {pattern}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
