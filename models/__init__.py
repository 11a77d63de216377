"""SQLAlchemy 2 typed models and the session factory. Nothing here knows about Flask."""

from .audit import SYSTEM_CHAIN, AuditChain, AuditEvent, OutboxMessage
from .authorisations import AccountAuthorisation
from .base import Base, make_engine, make_session_factory
from .cases import Case, CaseParty, CaseTask, Evidence, ProcessSpec, TaskState
from .records import InterviewNote, Letter, WrittenWarning
from .retention import LegalHold
from .tallies import CaseTally, DashboardTally, SubjectTally, TallyChange
from .tokens import ApiToken, PasswordSetup
from .users import PersonType, Role, User, UserRole
from .webhooks import WebhookDelivery, WebhookSubscription

__all__ = [
    "SYSTEM_CHAIN",
    "AccountAuthorisation",
    "ApiToken",
    "AuditChain",
    "AuditEvent",
    "Base",
    "Case",
    "CaseParty",
    "CaseTally",
    "CaseTask",
    "DashboardTally",
    "Evidence",
    "InterviewNote",
    "LegalHold",
    "Letter",
    "OutboxMessage",
    "PasswordSetup",
    "PersonType",
    "ProcessSpec",
    "Role",
    "SubjectTally",
    "TallyChange",
    "TaskState",
    "User",
    "UserRole",
    "WebhookDelivery",
    "WebhookSubscription",
    "WrittenWarning",
    "make_engine",
    "make_session_factory",
]
