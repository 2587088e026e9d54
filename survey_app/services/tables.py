"""Reading the files HR systems export: CSV (``;`` or ``,``, UTF-8 or Windows-1252) and XLSX.

Problems come back as ``TableError`` with a code the view translates; nothing here raises on
bad content in a way that would reach the user as a stack trace.
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, iterparse

MAX_ROWS = 20_000
# No HR export is wider than this; a sheet claiming more columns is refused before its cells are read.
MAX_COLUMNS = 200
# An XLSX is a zip: refuse one that would unpack to far more than an HR export ever holds.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200


class TableError(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]  # data rows, blank lines left out
    fields: dict[str, int] = field(default_factory=dict)  # canonical field -> column index
    line_numbers: list[int] = field(default_factory=list)  # the file's row number of each data row

    def numbered(self):
        """(the row's number in the file, the row): a blank line above it still counts, so "row 7"
        is the seventh row in the spreadsheet HR has open."""
        numbers = self.line_numbers or range(2, len(self.rows) + 2)
        return zip(numbers, self.rows)


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).lower()
    text = text.replace("ø", "o").replace("æ", "ae").replace("å", "a")
    return re.sub(r"[^a-z0-9]", "", text)


def read_table(filename: str, data: bytes) -> Table:
    if not data.strip():
        raise TableError("empty_file")
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if filename.lower().endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError("old_excel")
    return _read_csv(data)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 is what Norwegian Excel writes as "CSV"; it decodes any byte except five.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise TableError("bad_encoding") from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise TableError("not_a_table")
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") >= first.count(",") and first.count(";") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        lines = []
        for line in reader:
            lines.append(line)
            if len(lines) > MAX_ROWS + 1:
                raise TableError("too_many_rows", limit=MAX_ROWS)
    except csv.Error:
        raise TableError("not_a_table") from None
    return _table(lines)


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError("not_a_table") from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise TableError("file_too_large")
    try:
        from openpyxl import load_workbook

        # Before openpyxl opens the sheet: without a declared size it reads every cell just to
        # learn the size, and with one it fills every gap up to the last row and column named.
        _check_sheet_xml(archive, _first_sheet_path(archive))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        lines = []
        for row in sheet.iter_rows(values_only=True):
            lines.append(["" if value is None else value for value in row])
            if len(lines) > MAX_ROWS + 1:
                raise TableError("too_many_rows", limit=MAX_ROWS)
        workbook.close()
    except TableError:
        raise
    except Exception:  # openpyxl raises many types on damaged files; all mean the same to HR
        raise TableError("not_a_table") from None
    return _table(lines)


def _check_size(rows: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise TableError("too_many_columns", limit=MAX_COLUMNS)
    if rows > MAX_ROWS + 1:
        raise TableError("too_many_rows", limit=MAX_ROWS)


def _check_declared(reference: str) -> None:
    last = reference.rpartition(":")[2].replace("$", "")
    digits = "".join(ch for ch in last if ch.isdigit())
    _check_size(int(digits) if digits else 0, _column_number(last))


def _column_number(reference: str) -> int:
    number = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        number = number * 26 + ord(letter) - 64
    return number


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """A part's relationships (id -> target path in the archive), from its ``_rels`` file."""
    folder, _, name = part.rpartition("/")
    found = {}
    for _event, element in iterparse(archive.open(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")):
        if _local(element.tag) == "Relationship":
            target = element.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[element.get("Id", "")] = path
            found.setdefault("type:" + element.get("Type", "").rsplit("/", 1)[-1], path)
    return found


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The first sheet's part, found as openpyxl finds it: package rels -> workbook -> its rels."""
    try:
        workbook = _relationships(archive, "").get("type:officeDocument")
        sheet_id = None
        for _event, element in iterparse(archive.open(workbook)):
            if _local(element.tag) == "sheet":
                sheet_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                break
        return _relationships(archive, workbook).get(sheet_id) if sheet_id else None
    except (KeyError, TypeError, ParseError):  # not a workbook openpyxl can open either; it says so
        return None


def _check_sheet_xml(archive: zipfile.ZipFile, path: str | None) -> None:
    """Walk the sheet's XML without building cells, refusing it as soon as it is too large."""
    if not path:
        return
    rows = 0
    try:
        with archive.open(path) as source:
            cells_in_row = 0
            for event, element in iterparse(source, events=("start", "end")):
                tag = _local(element.tag)
                if event == "start" and tag == "dimension":
                    _check_declared(element.get("ref") or "")
                elif event == "start" and tag == "row":
                    rows, cells_in_row = rows + 1, 0
                    number = element.get("r")
                    _check_size(int(number) if number and number.isdigit() else rows, 0)
                elif event == "start" and tag == "c":
                    cells_in_row += 1
                    _check_size(rows, max(cells_in_row, _column_number(element.get("r") or "")))
                elif event == "end" and tag in ("row", "c"):
                    element.clear()
    except KeyError:  # a sheet the workbook names but the archive lacks: openpyxl says what is wrong
        return
    except ParseError:
        raise TableError("not_a_table") from None
    _check_size(rows, 0)


def _table(lines: list[list]) -> Table:
    numbered = [(number, line) for number, line in enumerate(lines, start=1)
                if any(str(cell).strip() for cell in line)]
    if not numbered:
        raise TableError("empty_file")
    headers = [str(cell).strip() for cell in numbered[0][1]]
    width = len(headers)
    rows = [list(line[:width]) + [""] * (width - len(line)) for _number, line in numbered[1:]]
    if not rows:
        raise TableError("no_rows")
    return Table(headers=headers, rows=rows, line_numbers=[number for number, _line in numbered[1:]])


def map_columns(table: Table, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Table:
    """Find each field's column by its header (several spellings allowed); error on missing ones."""
    found: dict[str, int] = {}
    normalised = [normalise_header(h) for h in table.headers]
    for canonical, names in aliases.items():
        for name in (canonical,) + names:
            key = normalise_header(name)
            if key in normalised:
                found[canonical] = normalised.index(key)
                break
    missing = [name for name in required if name not in found]
    if missing:
        raise TableError("missing_columns", columns=", ".join(missing))
    table.fields = found
    return table


def cell(table: Table, row: list, name: str) -> object:
    index = table.fields.get(name)
    if index is None:
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else value
