"""Every form a diagram may name with its `form` property."""
from ..breach import forms as breach
from ..takedown import forms as takedown

TASK_FORMS = {
    "takedown_response": takedown.TakedownResponseForm,
    "takedown_verification": takedown.TakedownVerificationForm,
    "dispute_review": takedown.DisputeReviewForm,
    "escalation_decision": takedown.EscalationDecisionForm,
    "breach_triage": breach.BreachTriageForm,
    "data_breach_assessment": breach.DataBreachAssessmentForm,
    "suspension_review": breach.SuspensionReviewForm,
    "investigation_invite": breach.InvestigationInviteForm,
    "subject_account": breach.SubjectAccountForm,
    "findings": breach.FindingsForm,
    "breach_outcome": breach.BreachOutcomeForm,
}
