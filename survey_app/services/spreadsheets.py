"""Writing tables for spreadsheets (CSV and XLSX) so that no cell is ever run as a formula.

A unit, theme or organisation name is typed by people; one that starts with ``=`` (or ``+``, ``-``,
``@``, a tab or a carriage return) would be a live formula in Excel or LibreOffice, able to fetch
addresses or run commands when the file is opened. Text cells are therefore written as text:
in XLSX as string cells, in CSV with the apostrophe prefix OWASP recommends. Numbers stay numbers.
"""
from __future__ import annotations

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A cell as CSV writes it: text that a spreadsheet would read as a formula gets a leading ``'``,
    and a decimal number a decimal comma (Excel in Norway reads "5.6" as a date, and the ``;``
    between cells leaves the comma free)."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    # Leading spaces (an indented unit name) do not stop every spreadsheet from reading a formula.
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[list]) -> str:
    out = io.StringIO()
    # QUOTE_ALL-free on purpose: numbers must stay numbers; the writer still quotes ; " and newlines.
    csv.writer(out, delimiter=";").writerows([[csv_text(value) for value in row] for row in rows])
    # A BOM so Excel in Norway opens æøå correctly.
    return "\ufeff" + out.getvalue()


def to_xlsx(rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row_number, row in enumerate(rows, start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
