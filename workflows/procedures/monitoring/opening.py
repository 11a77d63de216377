"""Recording a monitoring finding [SMP-6]: what HR found, and why it was looking."""

from __future__ import annotations

from dataclasses import dataclass

from models import Case, User
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.errors import InvalidInput

from .vocabulary import KIND, OCCASIONS, purpose_choices

START_DATA = ("occasion", "purposes", "found")


@dataclass
class MonitoringFinding:
    subject: User
    occasion: str
    purposes: list[str]
    found: str


def record_finding(ctx: Context, hr_user: User, finding: MonitoringFinding) -> Case:
    """Open the case; the person is not a party to it until they are told in writing."""
    _check(hr_user, finding)
    return open_case(
        ctx,
        KIND,
        title=f"Monitoring finding about {finding.subject.name}",
        subject=finding.subject,
        opened_by=hr_user,
        clauses=sorted(finding.purposes),
        parties={},  # HR takes the decision from its pool; the person is named only once told
        start_data={"occasion": finding.occasion, "purposes": sorted(finding.purposes), "found": finding.found},
    )


def _check(hr_user: User, finding: MonitoringFinding) -> None:
    if finding.subject.id == hr_user.id:
        raise InvalidInput("You cannot record a finding about yourself; ask another HR officer.", "subject")
    if not finding.subject.active:
        raise InvalidInput(f"{finding.subject.name}'s account is not active.", "subject")
    if finding.occasion not in OCCASIONS:
        raise InvalidInput("Say whether this was a routine audit or a specific suspicion.", "occasion")
    known = {cid for cid, _label in purpose_choices()}
    if not finding.purposes or set(finding.purposes) - known:
        raise InvalidInput("Choose the monitoring purposes this served (SMP-6.1 to SMP-6.5).", "purposes")
    if len(finding.found.strip()) < 10:
        raise InvalidInput("Say what was found (at least 10 characters).", "found")
