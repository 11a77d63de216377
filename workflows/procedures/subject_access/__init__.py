"""Subject access requests (UK GDPR Art. 15; docs/domain.md, "Records and
data protection"): HR records a person's request, the product compiles
everything held about them across every case and role, with other people's
personal data redacted; HR reviews it, adjusts the redactions, records any
exemption relied on and releases it as a ZIP, within one calendar month
(extendable once by two more, with a reason). Only HR sees these cases: the
person asking is the case's subject but no party to it, so they see nothing
of it (and an HR officer asking sees nothing of their own)."""

from pathlib import Path

from models import Role
from workflows.engine.registry import CaseRole, Procedure, Status, register

from .. import BPMN_DIR
from .opening import KIND, START_DATA
from .steps import STEPS, notice_context

PROCEDURE = register(
    Procedure(
        kind=KIND,
        prefix="SA",  # two letters, as every reference (the case search knows them by that shape)
        label="Subject access request",
        diagram=BPMN_DIR / "subject_access_request.bpmn",
        package=Path(__file__).parent,
        opened_by=(Role.HR,),
        roles={"HR": CaseRole(pool=Role.HR)},
        statuses={
            "extended": Status("Extended", "warning"),
            "overdue": Status("Overdue", "danger"),
            "released": Status("Released", "success"),
        },
        steps=STEPS,
        start_data=START_DATA,
        deadline_title="Subject access requests and their deadlines",
        target_days=30,  # the law's one calendar month (UK GDPR Art. 12(3)), counted here from opening
        notice_context=notice_context,
    )
)
