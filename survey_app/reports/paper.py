"""The paper around the figures: the case fields of a saksframlegg as the municipality prints them
(archive code, journal post, case officer, case number, meeting date) and the assessment (Vurdering)
HR approved. They are part of the stored content, so a frozen PDF carries them and preparing the
report again for a check uses the same ones."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

CASE_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/._ -]{0,29}$")   # "017/23", "2026/1234-5"
FIELD_LENGTH = 100
ASSESSMENT_LENGTH = 8000


class PaperError(ValueError):
    """A case field that cannot go on the paper: ``field`` says which."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Paper:
    case_number: str = ""
    archive_code: str = ""
    case_officer: str = ""
    journal_id: str = ""
    meeting_date: date | None = None
    assessment: str | None = None   # the text HR approved; None: the rule-written draft
    attachments: tuple = field(default_factory=tuple)

    def __post_init__(self):
        for name in ("case_number", "archive_code", "case_officer", "journal_id"):
            value = (getattr(self, name) or "").strip()
            if len(value) > FIELD_LENGTH or any(ord(c) < 32 for c in value):
                raise PaperError(name, f"{name} must be one line of at most {FIELD_LENGTH} characters")
            object.__setattr__(self, name, value)
        if self.case_number and not CASE_NUMBER.match(self.case_number):
            raise PaperError("case_number", "case number: letters, digits, '/', '-', '.' (for example 017/23)")
        if self.assessment is not None:
            text = self.assessment.replace("\r\n", "\n").strip()
            if len(text) > ASSESSMENT_LENGTH:
                raise PaperError("assessment", f"the assessment is longer than {ASSESSMENT_LENGTH} characters")
            object.__setattr__(self, "assessment", text or None)

    def as_content(self, draft: list[str]) -> dict:
        paragraphs = ([p.strip() for p in re.split(r"\n\s*\n", self.assessment) if p.strip()]
                      if self.assessment else list(draft))
        return {"case_number": self.case_number, "archive_code": self.archive_code,
                "case_officer": self.case_officer, "journal_id": self.journal_id,
                "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
                "assessment": paragraphs, "assessment_approved": self.assessment is not None,
                "attachments": list(self.attachments)}

    @classmethod
    def from_content(cls, content: dict) -> "Paper":
        """The paper a stored report was made with, to prepare it again."""
        paper = content.get("paper") or {}
        meeting = paper.get("meeting_date") or content.get("meeting_date")
        approved = paper.get("assessment_approved")
        return cls(case_number=paper.get("case_number", ""), archive_code=paper.get("archive_code", ""),
                   case_officer=paper.get("case_officer", ""), journal_id=paper.get("journal_id", ""),
                   meeting_date=date.fromisoformat(meeting) if meeting else None,
                   assessment="\n\n".join(paper.get("assessment") or []) if approved else None,
                   attachments=tuple(paper.get("attachments") or ()))
