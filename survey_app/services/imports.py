"""Imports from the HR system: leavers and new hires, the unit tree, headcount.

Each import is two steps. ``preview_*`` parses and checks every row and says what would happen
(new, already imported, error); ``apply_*`` writes all rows in one transaction or none. Errors
carry the row number (as in the file, header = row 1), the column and a reason code the view
translates.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import Headcount, Organisation, Person, Unit
from survey_app.periods import parse_quarter, quarter_label
from survey_app.services import unit_tree
from survey_app.services.tables import Table, TableError, cell, map_columns
from survey_app.validation import has_control_characters, is_email

AGE_BANDS = (("under_25", 0, 24), ("a25_34", 25, 34), ("a35_44", 35, 44), ("a45_54", 45, 54),
             ("a55_61", 55, 61), ("a62_plus", 62, 200))
PERSON_COLUMNS = {
    "name": ("namn", "navn", "fullt namn", "fullt navn", "tilsett", "ansatt"),
    "email_work": ("e-post arbeid", "epost arbeid", "e-post jobb", "jobb e-post", "arbeids-e-post", "work email",
                   "e-post", "epost", "email"),
    "email_private": ("privat e-post", "e-post privat", "epost privat", "private email", "privat epost"),
    "mobile": ("mobil", "mobilnummer", "telefon", "tlf", "phone"),
    "unit_code": ("einingskode", "enhetskode", "eining", "enhet", "unit", "avdelingskode", "ansvar"),
    "position_pct": ("stillingsprosent", "stilling", "stilling %", "prosent", "position"),
    "start_date": ("startdato", "tiltredelse", "tiltreding", "tilsett frå", "ansatt fra", "start"),
    "end_date": ("sluttdato", "fratreden", "fråtreding", "siste arbeidsdag", "slutt", "end"),
    "age_band": ("aldersgruppe", "alder", "age"),
}
UNIT_COLUMNS = {"code": ("kode", "einingskode", "enhetskode", "unit code"), "name": ("namn", "navn", "unit name"),
                "parent": ("overordna", "overordnet", "forelder", "parent code"), "sector": ("sektor", "tenesteområde",
                                                                                             "tjenesteområde")}
HEADCOUNT_COLUMNS = {"unit_code": UNIT_COLUMNS["code"] + ("eining", "enhet", "unit"),
                     "period": ("kvartal", "periode", "quarter", "dato", "date"),
                     "headcount": ("tilsette", "ansatte", "årsverk", "talet på tilsette", "antall ansatte", "count")}

_PHONE = re.compile(r"^\+?[\d ]{8,16}$")


@dataclass
class RowProblem:
    row: int
    column: str
    code: str
    value: str = ""


@dataclass
class Preview:
    new: list[dict] = field(default_factory=list)
    existing: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"new": self.new, "existing": self.existing, "problems": [asdict(p) for p in self.problems]}


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern, order in ((r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", "dmy"), (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", "ymd"),
                           (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", "dmy")):
        match = re.match(pattern, text)
        if match:
            parts = [int(x) for x in match.groups()]
            year, month, day = (parts[2], parts[1], parts[0]) if order == "dmy" else parts
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def parse_percent(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) * (100 if 0 < value <= 1 and isinstance(value, float) else 1)
    else:
        text = str(value or "").replace("%", "").replace(",", ".").strip()
        try:
            number = float(text)
        except ValueError:
            return None
    return number if 0 < number <= 100 else None


def parse_age_band(value) -> str | None:
    text = str(value or "").strip().lower()
    codes = [code for code, _, _ in AGE_BANDS]
    if text in codes:
        return text
    try:
        age = int(float(text))
    except (ValueError, OverflowError):  # "abc", or "1E361": a float too large for any age
        return None
    return next((code for code, low, high in AGE_BANDS if low <= age <= high), None)


def _source_key(kind: str, name: str, email: str, when: date | None) -> str:
    identity = "|".join([kind, " ".join(name.lower().split()), email.lower(), when.isoformat() if when else ""])
    return hashlib.sha256(identity.encode()).hexdigest()


def _units_by_code(session: Session, organisation: Organisation) -> dict[str, Unit]:
    return {u.code.lower(): u for u in session.scalars(select(Unit).where(Unit.organisation_id == organisation.id))}


def preview_people(session: Session, organisation: Organisation, table: Table, kind: str) -> Preview:
    date_field = "end_date" if kind == "leaver" else "start_date"
    map_columns(table, PERSON_COLUMNS, ("name", "unit_code", date_field))
    units = _units_by_code(session, organisation)
    known = set(session.scalars(select(Person.source_key).where(Person.organisation_id == organisation.id)))
    preview, seen = Preview(), set()
    for index, row in table.numbered():
        problems = []
        name = str(cell(table, row, "name"))
        if not name:
            problems.append(RowProblem(index, "name", "required"))
        elif len(name) > 200:
            problems.append(RowProblem(index, "name", "too_long"))
        elif has_control_characters(name):
            problems.append(RowProblem(index, "name", "control_characters"))
        emails = {}
        for column in ("email_work", "email_private"):
            value = str(cell(table, row, column)).lower()
            if value and not is_email(value):
                problems.append(RowProblem(index, column, "bad_email", value[:60]))
            emails[column] = value or None
        mobile = re.sub(r"[\s.-]", "", str(cell(table, row, "mobile")))
        if mobile and not _PHONE.match(mobile):
            problems.append(RowProblem(index, "mobile", "bad_phone", mobile[:30]))
        unit_code = str(cell(table, row, "unit_code"))
        unit = units.get(unit_code.lower())
        if not unit_code:
            problems.append(RowProblem(index, "unit_code", "required"))
        elif unit is None:
            problems.append(RowProblem(index, "unit_code", "unknown_unit", unit_code[:40]))
        raw_position = cell(table, row, "position_pct")
        position = parse_percent(raw_position) if raw_position not in ("", None) else None
        if raw_position not in ("", None) and position is None:
            problems.append(RowProblem(index, "position_pct", "bad_percent", str(raw_position)[:20]))
        dates = {}
        for column in ("start_date", "end_date"):
            raw = cell(table, row, column)
            dates[column] = parse_date(raw) if raw not in ("", None) else None
            if raw not in ("", None) and dates[column] is None:
                problems.append(RowProblem(index, column, "bad_date", str(raw)[:20]))
            elif column == date_field and raw in ("", None):
                problems.append(RowProblem(index, column, "required"))
        raw_age = cell(table, row, "age_band")
        age_band = parse_age_band(raw_age) if raw_age not in ("", None) else None
        if raw_age not in ("", None) and age_band is None:
            problems.append(RowProblem(index, "age_band", "bad_age", str(raw_age)[:20]))
        if problems:
            preview.problems.extend(problems)
            continue
        key = _source_key(kind, name, emails["email_private"] or emails["email_work"] or mobile, dates[date_field])
        if key in known:
            preview.existing += 1
            continue
        if key in seen:
            preview.problems.append(RowProblem(index, "name", "duplicate_row"))
            continue
        seen.add(key)
        preview.new.append({
            "row": index, "source_key": key, "name": name, "email_work": emails["email_work"],
            "email_private": emails["email_private"], "mobile": mobile or None, "unit_id": unit.id,
            "unit_code": unit.code, "position_pct": position,
            "start_date": dates["start_date"].isoformat() if dates["start_date"] else None,
            "end_date": dates["end_date"].isoformat() if dates["end_date"] else None, "age_band": age_band,
        })
    return preview


def apply_people(session: Session, organisation: Organisation, kind: str, rows: list[dict]) -> list[Person]:
    """Create the people of a checked preview (skipping any imported meanwhile). Does not commit."""
    known = set(session.scalars(select(Person.source_key).where(Person.organisation_id == organisation.id)))
    created = []
    for row in rows:
        if row["source_key"] in known:
            continue
        person = Person(organisation_id=organisation.id, kind=kind, source_key=row["source_key"], name=row["name"],
                        email_work=row["email_work"], email_private=row["email_private"], mobile=row["mobile"],
                        unit_id=row["unit_id"], position_pct=row["position_pct"],
                        start_date=date.fromisoformat(row["start_date"]) if row["start_date"] else None,
                        end_date=date.fromisoformat(row["end_date"]) if row["end_date"] else None,
                        age_band=row["age_band"])
        session.add(person)
        created.append(person)
    session.flush()
    return created


def preview_units(session: Session, organisation: Organisation, table: Table) -> Preview:
    map_columns(table, UNIT_COLUMNS, ("code", "name"))
    existing = _units_by_code(session, organisation)
    in_file: dict[str, dict] = {}
    preview = Preview()
    for index, row in table.numbered():
        code, name = str(cell(table, row, "code")), str(cell(table, row, "name"))
        parent = str(cell(table, row, "parent")) or str(cell(table, row, "sector"))
        problem = None
        if not code:
            problem = RowProblem(index, "code", "required")
        elif len(code) > 40 or not re.match(r"^[\w.\-/]+$", code):
            problem = RowProblem(index, "code", "bad_code", code[:40])
        elif not name:
            problem = RowProblem(index, "name", "required")
        elif has_control_characters(name):
            problem = RowProblem(index, "name", "control_characters")
        elif code.lower() in in_file:
            problem = RowProblem(index, "code", "duplicate_row", code)
        elif parent and parent.lower() == code.lower():
            problem = RowProblem(index, "parent", "own_parent", parent)
        if problem:
            preview.problems.append(problem)
            continue
        in_file[code.lower()] = {"row": index, "code": code, "name": name[:200], "parent": parent or None}
    for item in in_file.values():
        parent = item["parent"]
        if parent and parent.lower() not in in_file and parent.lower() not in existing:
            preview.problems.append(RowProblem(item["row"], "parent", "unknown_unit", parent))
    # A loop (A under B under A) would make the tree endless. It may close through units already in
    # the database, so the file is checked as it would leave the whole tree.
    code_of = {unit.id: code for code, unit in existing.items()}
    parent_of = {code: code_of.get(unit.parent_id) for code, unit in existing.items()}
    parent_of.update({code: (item["parent"] or "").lower() or None for code, item in in_file.items()})
    for code, item in in_file.items():
        if unit_tree.path_to_root(parent_of, code)[1]:
            preview.problems.append(RowProblem(item["row"], "parent", "cycle", item["parent"]))
    preview.new = [i for i in in_file.values() if i["code"].lower() not in existing
                   or _changed(existing[i["code"].lower()], i)]
    preview.existing = len(in_file) - len(preview.new)
    preview.problems.sort(key=lambda p: p.row)
    return preview


def _changed(unit: Unit, item: dict) -> bool:
    parent_code = unit.parent.code if unit.parent else None
    return unit.name != item["name"] or (parent_code or "").lower() != (item["parent"] or "").lower()


def apply_units(session: Session, organisation: Organisation, rows: list[dict]) -> int:
    """Create or update units (by code), parents first. Does not commit."""
    units = _units_by_code(session, organisation)
    for item in rows:
        unit = units.get(item["code"].lower())
        if unit is None:
            unit = Unit(organisation_id=organisation.id, code=item["code"], name=item["name"])
            session.add(unit)
            units[item["code"].lower()] = unit
        unit.name = item["name"]
    session.flush()
    # Through the key, not the relationship: the ORM orders updates by old and new parents together
    # and refuses a valid move (A under B, B out from under A) as a circular dependency.
    for item in rows:
        parent = units.get(item["parent"].lower()) if item["parent"] else None
        units[item["code"].lower()].parent_id = parent.id if parent is not None else None
    session.flush()
    for unit in units.values():
        session.expire(unit, ["parent", "children"])
    return len(rows)


def parse_period(value) -> str | None:
    if isinstance(value, (date, datetime)):
        return quarter_label(value if isinstance(value, date) else value.date())
    text = str(value or "").strip().upper().replace(" ", "").replace("-", "")
    match = re.match(r"^(\d{4})Q([1-4])$", text) or re.match(r"^Q([1-4])(\d{4})$", text)
    if match:
        year, quarter = (match.group(1), match.group(2)) if text[0].isdigit() else (match.group(2), match.group(1))
        return f"{year}Q{quarter}"
    parsed = parse_date(value)
    return quarter_label(parsed) if parsed else None


def preview_headcount(session: Session, organisation: Organisation, table: Table) -> Preview:
    map_columns(table, HEADCOUNT_COLUMNS, ("unit_code", "period", "headcount"))
    units = _units_by_code(session, organisation)
    preview, seen = Preview(), set()
    for index, row in table.numbered():
        code = str(cell(table, row, "unit_code"))
        unit = units.get(code.lower())
        period = parse_period(cell(table, row, "period"))
        raw = cell(table, row, "headcount")
        try:
            count = int(str(raw).strip())
        except ValueError:
            count = -1
        if unit is None:
            preview.problems.append(RowProblem(index, "unit_code", "unknown_unit" if code else "required", code[:40]))
        elif period is None:
            preview.problems.append(RowProblem(index, "period", "bad_period", str(cell(table, row, "period"))[:20]))
        elif not 0 <= count <= 100_000:
            preview.problems.append(RowProblem(index, "headcount", "bad_count", str(raw)[:20]))
        elif (unit.id, period) in seen:
            preview.problems.append(RowProblem(index, "unit_code", "duplicate_row", code))
        else:
            seen.add((unit.id, period))
            preview.new.append({"row": index, "unit_id": unit.id, "unit_code": unit.code, "period": period,
                                "headcount": count})
    return preview


def apply_headcount(session: Session, organisation: Organisation, rows: list[dict]) -> int:
    existing = {(h.unit_id, h.period): h for h in session.scalars(
        select(Headcount).where(Headcount.organisation_id == organisation.id))}
    for item in rows:
        parse_quarter(item["period"])
        row = existing.get((item["unit_id"], item["period"]))
        if row is None:
            session.add(Headcount(organisation_id=organisation.id, unit_id=item["unit_id"], period=item["period"],
                                  headcount=item["headcount"]))
        else:
            row.headcount = item["headcount"]
    session.flush()
    return len(rows)


__all__ = ["Preview", "RowProblem", "TableError", "apply_headcount", "apply_people", "apply_units",
           "preview_headcount", "preview_people", "preview_units"]
