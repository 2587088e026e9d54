"""Typed SQLAlchemy models, one module per aggregate."""
from survey_app.models.account import Membership, User, UserSession
from survey_app.models.audit import AuditEvent
from survey_app.models.analysis import AnalysedAnswer, AnalysisRun, AnswerEmbedding, Theme
from survey_app.models.invitation import Invitation, InvitationStatus, hash_token
from survey_app.models.limits import FailureStreak, RateLimitHit
from survey_app.models.org import Organisation, Unit
from survey_app.models.people import Headcount, ImportPreview, Person
from survey_app.models.questionnaire import QuestionnaireVersion
from survey_app.models.release import ReaderScope, ReleasedGroup
from survey_app.models.report import Action, Region, Report, region_member
from survey_app.models.response import Answer, Channel, ConfidentialLink, Response, ResponseDraft
from survey_app.models.tally import AnswerTally

__all__ = [
    "Action", "AnalysedAnswer", "AnalysisRun", "Answer", "AnswerEmbedding", "AnswerTally", "AuditEvent", "FailureStreak", "Headcount", "ImportPreview", "Person", "RateLimitHit", "Theme", "Channel", "ConfidentialLink", "Invitation", "InvitationStatus", "Membership", "Organisation",
    "QuestionnaireVersion", "ReaderScope", "Region", "ReleasedGroup", "Report", "region_member", "Response", "ResponseDraft", "Unit", "User", "UserSession", "hash_token",
]
