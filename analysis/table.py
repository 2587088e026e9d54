"""Reading and writing the CSV files the command line works on, with one-line errors."""
from __future__ import annotations

import csv
import io
from pathlib import Path


class InputError(Exception):
    """Bad input the user can fix; the message is one line meant for them."""


def read_rows(path: str | Path, *columns: str) -> tuple[list[str], list[dict[str, str]]]:
    """Field names and rows of a UTF-8 CSV (comma, semicolon or tab), checking that ``columns`` exist."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 (byte {error.start}); save the file as UTF-8 and try again") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"{path}: not a valid CSV file ({error})") from None
    for column in columns:
        if column not in fieldnames:
            raise InputError(f"{path}: no column named {column!r} (columns: {', '.join(fieldnames) or 'none'})")
    if not rows:
        raise InputError(f"{path}: the file has a header but no rows")
    for row in rows:
        for key in fieldnames:
            if row.get(key) is None:
                row[key] = ""
        row.pop(None, None)
    return fieldnames, rows


def write_rows(path: str | Path, fieldnames: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
