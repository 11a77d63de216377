"""Draw bpmn/volunteer_problem_solving.bpmn and bpmn/trustee_referral.bpmn
(python scripts/draw_people_procedures.py). Edit here, or in a modeler."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bpmn_layout import write

BPMN = Path(__file__).resolve().parents[1] / "bpmn"


def volunteer_problem_solving() -> None:
    hr, coord, vol, rev = "Lane_HR", "Lane_Coordinator", "Lane_Volunteer", "Lane_Reviewer"
    nodes = [
        dict(id="StartEvent_Referred", kind="startEvent", name="Referred to volunteer problem-solving", lane=hr, col=0),
        dict(
            id="UserTask_ChooseCoordinator",
            kind="userTask",
            name="Choose the volunteer coordinator",
            lane=hr,
            col=1,
            doc="HR names the volunteer coordinator who will hold an informal conversation with the volunteer: "
            "their line manager, or another manager.",
            props={"form": "vps_coordinator"},
        ),
        dict(
            id="Event_CoordinatorTold",
            kind="intermediateThrowEvent",
            name="Coordinator told",
            lane=coord,
            col=2,
            props={"notify": "vps_coordinator_named", "notify_to": "Volunteer coordinator"},
        ),
        dict(
            id="UserTask_Arrange",
            kind="userTask",
            name="Arrange the conversation",
            lane=coord,
            col=3,
            doc="The volunteer coordinator arranges an informal conversation with the volunteer, who may bring "
            "a friend or supporter.",
            props={"form": "vps_arrange"},
        ),
        dict(
            id="ScriptTask_Reminder",
            kind="scriptTask",
            name="Set the reminder to record it",
            lane=coord,
            col=4,
            script="record_reminder_at = end_of_day_after(conversation_at[:10], record_reminder_days)",
        ),
        dict(
            id="Event_Invited",
            kind="intermediateThrowEvent",
            name="Invitation sent",
            lane=vol,
            col=5,
            props={"letter": "vps_invitation", "notify": "vps_invitation", "notify_to": "Volunteer"},
        ),
        dict(
            id="UserTask_Conversation",
            kind="userTask",
            name="Record the conversation and its outcome",
            lane=coord,
            col=6,
            doc="After the conversation the coordinator records what was said and the outcome: guidance and "
            "support, a change of role, or ending the volunteering arrangement.",
            props={"form": "vps_conversation"},
        ),
        dict(
            id="Timer_RecordReminder",
            kind="boundaryEvent",
            name="Not recorded after two days",
            attached="UserTask_Conversation",
            cancel=False,
            lane=coord,
            col=6,
            timer="record_reminder_at",
        ),
        dict(
            id="Event_RecordReminder",
            kind="intermediateThrowEvent",
            name="Reminder sent",
            lane=coord,
            col=7,
            row=1,
            props={"notify": "vps_record_reminder", "notify_to": "Volunteer coordinator"},
        ),
        dict(id="EndEvent_ReminderDone", kind="endEvent", name="Reminder done", lane=coord, col=8, row=1),
        dict(
            id="Event_Outcome",
            kind="intermediateThrowEvent",
            name="Outcome letter sent",
            lane=vol,
            col=8,
            props={
                "letter": "vps_outcome",
                "notify": "vps_outcome",
                "notify_to": "Volunteer",
                "case_status": "outcome_given",
            },
        ),
        dict(
            id="ScriptTask_ReviewWindow",
            kind="scriptTask",
            name="Open the review window",
            lane=vol,
            col=7,
            script="review_by = working_days_from_now(review_days)",
        ),
        dict(
            id="UserTask_AskReview",
            kind="userTask",
            name="Ask for a review, if you wish",
            lane=vol,
            col=9,
            doc="The volunteer may ask for the outcome to be reviewed by someone not involved: the Hub Manager "
            "or a trustee.",
            props={"form": "vps_review_request", "due_at": "review_by"},
        ),
        dict(
            id="Timer_ReviewWindow",
            kind="boundaryEvent",
            name="Review window passed",
            attached="UserTask_AskReview",
            lane=vol,
            col=9,
            timer="review_by",
        ),
        dict(
            id="EndEvent_NoReview",
            kind="endEvent",
            name="No review asked for in time",
            lane=vol,
            col=10,
            row=1,
            props={"case_status": "closed"},
        ),
        dict(
            id="Gateway_Review",
            kind="exclusiveGateway",
            name="Review asked for?",
            lane=vol,
            col=10,
            default="Flow_Review_No",
        ),
        dict(
            id="EndEvent_NotWanted",
            kind="endEvent",
            name="No review wanted",
            lane=vol,
            col=11,
            row=1,
            props={"case_status": "closed"},
        ),
        dict(
            id="Event_ReviewAsked",
            kind="intermediateThrowEvent",
            name="Review asked for",
            lane=hr,
            col=11,
            props={"notify": "vps_review_asked", "notify_to": "HR", "case_status": "under_review"},
        ),
        dict(
            id="UserTask_ChooseReviewer",
            kind="userTask",
            name="Choose who reviews",
            lane=hr,
            col=12,
            doc="HR names the Hub Manager or a trustee, someone not involved in the case, to review the outcome.",
            props={"form": "vps_reviewer"},
        ),
        dict(
            id="Event_ReviewerTold",
            kind="intermediateThrowEvent",
            name="Reviewer told",
            lane=rev,
            col=13,
            props={"notify": "vps_review_assigned", "notify_to": "Reviewer"},
        ),
        dict(
            id="UserTask_Review",
            kind="userTask",
            name="Review the outcome",
            lane=rev,
            col=14,
            doc="The reviewer confirms the outcome or changes it, with reasons the volunteer is told.",
            props={"form": "vps_review"},
        ),
        dict(
            id="EndEvent_Reviewed",
            kind="endEvent",
            name="Volunteer told the review's outcome",
            lane=vol,
            col=15,
            props={
                "letter": "vps_review_outcome",
                "notify": "vps_review_outcome",
                "notify_to": "Volunteer,HR",
                "case_status": "closed",
            },
        ),
    ]
    flows = [
        ("Flow_Start_Choose", "StartEvent_Referred", "UserTask_ChooseCoordinator", None, None),
        ("Flow_Choose_Told", "UserTask_ChooseCoordinator", "Event_CoordinatorTold", None, None),
        ("Flow_Told_Arrange", "Event_CoordinatorTold", "UserTask_Arrange", None, None),
        ("Flow_Arrange_Reminder", "UserTask_Arrange", "ScriptTask_Reminder", None, None),
        ("Flow_Reminder_Invited", "ScriptTask_Reminder", "Event_Invited", None, None),
        ("Flow_Invited_Conversation", "Event_Invited", "UserTask_Conversation", None, None),
        ("Flow_RecordTimer_Reminder", "Timer_RecordReminder", "Event_RecordReminder", None, None),
        ("Flow_Reminder_Done", "Event_RecordReminder", "EndEvent_ReminderDone", None, None),
        ("Flow_Conversation_Window", "UserTask_Conversation", "ScriptTask_ReviewWindow", None, None),
        ("Flow_Window_Outcome", "ScriptTask_ReviewWindow", "Event_Outcome", None, None),
        ("Flow_Outcome_Ask", "Event_Outcome", "UserTask_AskReview", None, None),
        ("Flow_WindowTimer_NoReview", "Timer_ReviewWindow", "EndEvent_NoReview", None, None),
        ("Flow_Ask_Review", "UserTask_AskReview", "Gateway_Review", None, None),
        ("Flow_Review_No", "Gateway_Review", "EndEvent_NotWanted", "No", None),
        ("Flow_Review_Yes", "Gateway_Review", "Event_ReviewAsked", "Yes", "review_wanted == True"),
        ("Flow_Asked_Choose", "Event_ReviewAsked", "UserTask_ChooseReviewer", None, None),
        ("Flow_Choose_ReviewerTold", "UserTask_ChooseReviewer", "Event_ReviewerTold", None, None),
        ("Flow_ReviewerTold_Review", "Event_ReviewerTold", "UserTask_Review", None, None),
        ("Flow_Review_Reviewed", "UserTask_Review", "EndEvent_Reviewed", None, None),
    ]
    write(
        BPMN / "volunteer_problem_solving.bpmn",
        process_id="volunteer_problem_solving",
        name="Volunteer problem-solving",
        documentation="A concern about a volunteer under the Social Media Policy is handled informally, never as "
        "employment: the volunteer coordinator holds a conversation (the volunteer may bring a friend or "
        "supporter) and gives an outcome in writing (guidance and support, a change of role, or ending the "
        "volunteering arrangement); the volunteer may ask for a review by the Hub Manager or a trustee not involved.",
        lanes=[(hr, "HR"), (coord, "Volunteer coordinator"), (vol, "Volunteer"), (rev, "Reviewer")],
        nodes=nodes,
        flows=flows,
    )


def trustee_referral() -> None:
    chair, trustee, hr = "Lane_Chair", "Lane_Trustee", "Lane_HR"
    nodes = [
        dict(id="StartEvent_Referred", kind="startEvent", name="Referred to the Chair of the board", lane=chair, col=0),
        dict(
            id="ScriptTask_Dates",
            kind="scriptTask",
            name="Set the date to decide by",
            lane=chair,
            col=1,
            script="decide_by = working_days_from_now(decide_days)",
        ),
        dict(
            id="Event_ChairTold",
            kind="intermediateThrowEvent",
            name="Chair told",
            lane=chair,
            col=2,
            props={"notify": "trustee_referral_received", "notify_to": "Chair"},
        ),
        dict(
            id="Event_TrusteeTold",
            kind="intermediateThrowEvent",
            name="Trustee told in writing",
            lane=trustee,
            col=3,
            props={"letter": "trustee_referral", "notify": "trustee_referral", "notify_to": "Trustee"},
        ),
        dict(
            id="UserTask_BoardDecision",
            kind="userTask",
            name="Record the board's decision",
            lane=chair,
            col=4,
            doc="The Chair records what the board decided under the governing document: no action, informal "
            "resolution, asking the trustee to step down, or removal under the governing document's procedure.",
            props={"form": "trustee_board_decision", "due_at": "decide_by"},
        ),
        dict(
            id="Timer_DecisionReminder",
            kind="boundaryEvent",
            name="Not decided by its date",
            attached="UserTask_BoardDecision",
            cancel=False,
            lane=chair,
            col=4,
            timer="decide_by",
        ),
        dict(
            id="Event_DecisionReminder",
            kind="intermediateThrowEvent",
            name="Chair and HR reminded",
            lane=chair,
            col=5,
            row=1,
            props={"notify": "trustee_decision_reminder", "notify_to": "Chair,HR"},
        ),
        dict(id="EndEvent_ReminderDone", kind="endEvent", name="Reminder done", lane=chair, col=6, row=1),
        dict(
            id="EndEvent_Decided",
            kind="endEvent",
            name="Trustee and HR told the board's decision",
            lane=trustee,
            col=6,
            props={
                "letter": "trustee_decision",
                "notify": "trustee_decision",
                "notify_to": "Trustee,HR",
                "case_status": "closed",
            },
        ),
    ]
    flows = [
        ("Flow_Start_Dates", "StartEvent_Referred", "ScriptTask_Dates", None, None),
        ("Flow_Dates_ChairTold", "ScriptTask_Dates", "Event_ChairTold", None, None),
        ("Flow_ChairTold_TrusteeTold", "Event_ChairTold", "Event_TrusteeTold", None, None),
        ("Flow_TrusteeTold_Decision", "Event_TrusteeTold", "UserTask_BoardDecision", None, None),
        ("Flow_ReminderTimer_Reminder", "Timer_DecisionReminder", "Event_DecisionReminder", None, None),
        ("Flow_Reminder_Done", "Event_DecisionReminder", "EndEvent_ReminderDone", None, None),
        ("Flow_Decision_Decided", "UserTask_BoardDecision", "EndEvent_Decided", None, None),
    ]
    write(
        BPMN / "trustee_referral.bpmn",
        process_id="trustee_referral",
        name="Referral to the Chair of the board",
        documentation="A concern about a trustee under the Social Media Policy goes to the Chair of the board, "
        "under the charity's governing document, not to an HR sanction: the Chair records the board's decision "
        "and the trustee is told it in writing.",
        lanes=[(chair, "Chair"), (trustee, "Trustee"), (hr, "HR")],
        nodes=nodes,
        flows=flows,
    )


if __name__ == "__main__":
    volunteer_problem_solving()
    trustee_referral()
