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


# The request's limits, shown by the form and checked here for the form and the API alike.
MAX_URLS = 20
REASONS_LENGTH = (10, 4000)
LONGEST_DEADLINE_HOURS = 336.0  # two weeks; the form asks for three minutes at least, tests for seconds


def request_takedown(ctx: Context, requester: User, request: TakedownRequest) -> Case:
    """Open a takedown case and send the notice to the person."""
    check_request(requester, request)
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


def check_request(requester: User, request: TakedownRequest) -> None:
    """Every fault at once, each beside its field, so a page or an API
    caller can mend them all in one go."""
    errors: dict[str, list[str]] = {}

    def fault(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if request.subject.id == requester.id:
        fault("subject", "You cannot send a takedown request to yourself.")
    elif not request.subject.active or request.subject.service_account:
        fault("subject", f"{request.subject.name}'s account is not active.")
    if request.platform not in PLATFORMS:
        fault("platform", f"Choose one of: {', '.join(PLATFORMS)}.")
    if not request.evidence:  # once it is removed, nothing else shows what was posted
        fault("evidence", "Attach a screenshot of the content before asking for its removal.")
    bad = [url for url in request.urls if not is_web_link(url)]
    if bad or not request.urls:
        fault("urls", f"Not a web link: {bad[0] if bad else 'none given'} (links start with https://).")
    elif len(request.urls) > MAX_URLS:
        fault("urls", f"At most {MAX_URLS} links in one request.")
    allowed = {cid for cid, _label in clause_choices()}
    if not request.clauses or set(request.clauses) - allowed:
        fault("clauses", "Choose at least one of the clauses a takedown can cite (SMP-3, SMP-4 and SMP-5 rules).")
    shortest, longest = REASONS_LENGTH
    if not shortest <= len(request.reasons.strip()) <= longest:
        fault("reasons", f"Say why it must come down in {shortest} to {longest} characters.")
    if not 0 < request.deadline_hours <= LONGEST_DEADLINE_HOURS:
        fault("deadline_hours", f"Give a number of hours above 0 and at most {LONGEST_DEADLINE_HOURS:g} (two weeks).")
    try:
        check_captured_at(request.captured_at)  # the case opens now: a year before now at the earliest
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
