"""A QR code as terminal text (the `qrcode` library's matrix): Unicode half blocks, two modules
rows per line, or ASCII `#` (one line per row) for plain terminals. Used for the TOTP URI."""

from __future__ import annotations

import qrcode


def _matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_lines(data: str, plain: bool = False) -> list[str]:
    """Dark modules drawn, light ones blank: scan it light-on-dark or dark-on-light alike."""
    rows = _matrix(data)
    if plain:
        return ["".join("#" if dark else " " for dark in row) for row in rows]
    out = []
    for top, bottom in zip(rows[::2], [*rows[1::2], [False] * len(rows[0])], strict=False):
        out.append("".join(
            "█" if t and b else "▀" if t else "▄" if b else " " for t, b in zip(top, bottom, strict=True)
        ))  # fmt: skip
    return out


def qr_size(data: str, plain: bool = False) -> tuple[int, int]:
    """(columns, lines) the code takes."""
    lines = qr_lines(data, plain)
    return len(lines[0]), len(lines)
