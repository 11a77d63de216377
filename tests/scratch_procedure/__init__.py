"""A minimal procedure declared entirely in this folder: a colleague asks
HR a question about the policy, HR answers, the colleague says whether it
resolves it. It exists to show that adding a procedure edits no shared file:
its diagram, steps, notice, pages and templates are all here, and
`install()` registers it as a package listed in INSTALLED would be."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired

from models import Case, Role, User
from webapp import procedures as web
from webapp.extensions import get_ctx
from webapp.forms import TaskForm, answer
from workflows.engine import registry
from workflows.engine.cases import open_case
from workflows.engine.context import Context
from workflows.engine.registry import CaseRole, Procedure, Status, Step
from workflows.engine.stepdata import StepData, flag, text

HERE = Path(__file__).parent
KIND = "policy_question"


class Answer(StepData):
    answer = text(4000, required=True)


class Acknowledgement(StepData):
    resolved = flag("Say whether the answer resolves your question.")


PROCEDURE = Procedure(
    kind=KIND,
    prefix="PQ",
    label="Policy question",
    diagram=HERE / "policy_question.bpmn",
    package=HERE,
    opened_by=(Role.MANAGER, Role.HR),
    roles={"Asker": CaseRole(), "HR": CaseRole(pool=Role.HR)},
    statuses={"unresolved": Status("Unresolved", "warning")},
    steps={"answer_question": Step(Answer), "acknowledge_answer": Step(Acknowledgement)},
    start_data=("question",),
)


def ask(ctx: Context, asker: User, question: str) -> Case:
    return open_case(
        ctx,
        KIND,
        title=f"Question from {asker.name}",
        subject=asker,
        opened_by=asker,
        clauses=[],
        parties={"Asker": asker},
        start_data={"question": question},
    )


# --- its pages -------------------------------------------------------------------

bp = Blueprint(KIND, __name__, url_prefix="/policy-question", template_folder="templates")


class AskForm(FlaskForm):
    question = TextAreaField("Your question", validators=[DataRequired()])
    submit = SubmitField("Ask HR")


class AnswerForm(TaskForm):
    answer = TextAreaField("Answer")
    submit = SubmitField("Send the answer")


class AcknowledgementForm(TaskForm):
    resolved = answer("Does this resolve your question?", {"yes": "Yes", "no": "No"})
    submit = SubmitField("Send")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = AskForm()
    if form.validate_on_submit():
        case = ask(get_ctx(), current_user, form.question.data)
        return redirect(url_for("cases.show", reference=case.reference))
    return render_template("policy_question/new.html", form=form)


PAGES = web.ProcedurePages(
    kind=KIND,
    blueprint=bp,
    summary="policy_question/_summary.html",
    heading="The question",
    new_case=f"{KIND}.new",
    new_case_label="Ask HR",
    forms={"answer_question": AnswerForm, "acknowledge_answer": AcknowledgementForm},
)


def install() -> None:
    registry.register(PROCEDURE)
    web.register(PAGES)


def uninstall() -> None:
    registry.unregister(KIND)
    web.unregister(KIND)
