"""SQLAlchemy 2 typed models and the session factory. Nothing here knows about Flask."""

from .audit import SYSTEM_CHAIN, AuditChain, AuditEvent, OutboxMessage
from .authorisations import AccountAuthorisation
from .base import Base, make_engine, make_session_factory
from .cases import Case, CaseParty, CaseTask, Evidence, ProcessSpec, TaskState
from .records import InterviewNote, Letter, WrittenWarning
from .users import PersonType, Role, User, UserRole

__all__ = [
    "SYSTEM_CHAIN",
    "AccountAuthorisation",
    "AuditChain",
    "AuditEvent",
    "Base",
    "Case",
    "CaseParty",
    "CaseTask",
    "Evidence",
    "InterviewNote",
    "Letter",
    "OutboxMessage",
    "PersonType",
    "ProcessSpec",
    "Role",
    "TaskState",
    "User",
    "UserRole",
    "WrittenWarning",
    "make_engine",
    "make_session_factory",
]
