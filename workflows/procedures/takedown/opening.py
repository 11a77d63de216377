"""Opening a takedown request [SMP-5.8]: what a manager records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models import Case, Evidence, User
from workflows import policy
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import attach_evidence, check_captured_at, is_web_link

KIND = "takedown_request"
PLATFORMS = [
    "Facebook",
    "Instagram",
    "X (Twitter)",
    "TikTok",
    "LinkedIn",
    "YouTube",
    "WhatsApp",
    "Reddit",
    "Threads",
    "Bluesky",
    "Blog or website",
    "Other",
]


def clause_choices() -> list[tuple[str, str]]:
    """The rules a takedown can cite: those about what is posted (SMP-3's
    on time at work included: content posted from work, in working hours)."""
    return [(cid, label) for cid, label in policy.rule_choices() if cid.startswith(("SMP-3", "SMP-4", "SMP-5"))]


START_DATA = ("urls", "platform", "clauses", "reasons", "deadline_hours", "evidence_captured_at")


@dataclass
class TakedownRequest:
    subject: User
    platform: str
    urls: list[str]
    clauses: list[str]
    reasons: str
    deadline_hours: float
    evidence: list[Evidence] = field(default_factory=list)
    captured_at: datetime | None = None


def request_takedown(ctx: Context, requester: User, request: TakedownRequest) -> Case:
    """Open a takedown case and send the notice to the person."""
    if request.subject.id == requester.id:
        raise InvalidInput("You cannot send a takedown request to yourself.", "subject")
    if not request.subject.active:
        raise InvalidInput(f"{request.subject.name}'s account is not active.", "subject")
    if not request.evidence:  # once it is removed, nothing else shows what was posted
        raise InvalidInput("Attach a screenshot of the content before asking for its removal.", "evidence")
    bad = [url for url in request.urls if not is_web_link(url)]
    if bad or not request.urls:
        raise InvalidInput(f"Not a web link: {bad[0] if bad else 'none given'} (links start with https://).", "urls")
    check_captured_at(request.captured_at)  # the case opens now: a year before now at the earliest
    start_data = {
        "urls": request.urls,
        "platform": request.platform,
        "clauses": request.clauses,
        "reasons": request.reasons,
        "deadline_hours": request.deadline_hours,
        "evidence_captured_at": request.captured_at.isoformat() if request.captured_at else None,
    }
    case = open_case(
        ctx,
        KIND,
        title=f"{request.platform} post by {request.subject.name}",
        subject=request.subject,
        opened_by=requester,
        clauses=request.clauses,
        parties={"Requester": requester, "Subject": request.subject},
        start_data=start_data,
    )
    for item in request.evidence:  # the person's own post: they see what is alleged
        item.shared_with_subject = True
    attach_evidence(ctx, case, requester, request.evidence)
    return case
