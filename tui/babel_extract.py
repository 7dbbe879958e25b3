"""Babel extractors for the texts that are not `_()` calls (registered in babel.cfg).

- `extract_catalogue`: the call-result catalogue (TOML); every `label` value is a msgid.
- `extract_core`: the English texts the core shows to operators. The error and verdict calls come
  from Babel's own Python extractor (the section's `keywords`); on top of it, from the syntax tree:
  the values of `*_LABELS` dicts, one column of the tuples in the tables named by the `tables`
  option (`NAME:index ...`), and with `init_defaults = true` the string defaults of `__init__`
  (`AuthFailed(message="Wrong login ...")`).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

Extracted = tuple[int, str | None, str | tuple[str, ...], list[str]]
_LABEL_LINE = re.compile(r"""\blabel\s*=\s*("(?:[^"\\\n]|\\.)*"|'[^'\n]*')""")


def catalogue_labels(text: str) -> list[tuple[int, str]]:
    """(line, label) of every `label` key in a TOML text, in document order."""
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
    lines: list[tuple[int, str]] = []  # where each label is written, for the .pot's references
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _LABEL_LINE.finditer(line):
            lines.append((number, tomllib.loads(f"v = {match.group(1)}")["v"]))
    found = []
    for label in labels:
        at = next((i for i, (_n, text_) in enumerate(lines) if text_ == label), None)
        found.append((lines.pop(at)[0] if at is not None else 1, label))
    return found


def extract_catalogue(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Extracted]:
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    for lineno, label in catalogue_labels(text):
        yield lineno, None, label, []


def _const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value else None


def _tables(option: str) -> dict[str, int]:
    names = {}
    for item in option.split():
        name, _sep, index = item.partition(":")
        names[name] = int(index or 0)
    return names


def _label_tables(tree: ast.AST, tables: dict[str, int], init_defaults: bool) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__init__" and init_defaults:
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                if text := _const(default):
                    yield default.lineno, text
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else ""
            if name.endswith("_LABELS") and isinstance(node.value, ast.Dict):
                for value in node.value.values:
                    if text := _const(value):
                        yield value.lineno, text
            elif name in tables:  # which element of each tuple is the label
                index = tables[name]
                for item in ast.walk(node.value):
                    if isinstance(item, ast.Tuple) and index < len(item.elts) and (text := _const(item.elts[index])):
                        yield item.lineno, text


def extract_core(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[Extracted]:
    from babel.messages.extract import extract_python

    source = fileobj.read()
    python = io.BytesIO(source)
    python.name = getattr(fileobj, "name", "(unknown)")  # type: ignore[attr-defined]
    with contextlib.redirect_stderr(io.StringIO()):  # f-string messages are on purpose: tui.errors has their patterns
        yield from list(extract_python(python, keywords, comment_tags, options))
    tree = ast.parse(source)
    init_defaults = str(options.get("init_defaults", "")).lower() in ("1", "true", "yes")
    for lineno, text in _label_tables(tree, _tables(options.get("tables", "")), init_defaults):
        yield lineno, None, text, []
