from flask import Response, render_template, request, send_file
from flask_login import current_user, login_required

from models import Evidence, Role, TaskState
from workflows.engine import access, audit, deadlines, people, pools, queries, reads
from workflows.engine.audit import Actor
from workflows.engine.cases import view_case
from workflows.engine.errors import NotFound
from workflows.engine.evidence import evidence_path, safe_filename

from ..extensions import get_ctx, get_db
from ..procedures import pages_for
from . import bp
from .forms import CaseFilterForm, EvidenceForm, InterviewForm


@bp.route("/")
@login_required
def index():
    own = None if current_user.roles else queries.own_kinds_and_statuses(get_db(), current_user)
    form = CaseFilterForm(request.args, own=own)
    if not form.validate():  # a filter it cannot apply lists nothing, and says why
        return render_template("cases/index.html", form=form, page=queries.CasePage([], 0, 1, queries.PER_PAGE))
    page = queries.list_cases(
        get_db(),
        current_user,
        status=form.status.data or "",
        kind=form.kind.data or "",
        search=form.q.data or "",
        narrow=form.narrowing(),
        page=request.args.get("page", 1, type=int),
    )
    return render_template("cases/index.html", form=form, page=page)


@bp.route("/<reference>")
@login_required
def show(reference: str):
    return case_page(reference)


def case_page(reference: str, evidence_form: EvidenceForm | None = None, interview_form: InterviewForm | None = None):
    """The case page; a case-file form that was refused comes back in it with
    its messages beside its fields and what was typed (its section open)."""
    db = get_db()
    case = view_case(db, current_user, reference)
    subject_view = access.is_subject_only(current_user, case)
    # The case file is for its parties and HR; a pool member offered one step
    # (and the subject) see the summary and that step, nothing of the working.
    sees_file = access.sees_case_file(current_user, case)
    tasks = queries.case_tasks(db, case)
    linked = [c for c in queries.linked_cases(db, case) if access.can_view_case(current_user, c)] if sees_file else []
    timeline = queries.timeline(db, case, subject_view, current_user) if sees_file or subject_view else []
    return render_template(
        "cases/show.html",
        case=case,
        subject_view=subject_view,
        sees_file=sees_file,
        pages=pages_for(case.kind),
        data=queries.case_data(case),
        tasks=tasks,
        mine={t.id for t in tasks if t.state == TaskState.READY and access.can_complete(current_user, t, case)},
        timeline=_without_hidden_links(timeline, linked),
        views=queries.view_count(db, case) if sees_file else 0,
        evidence=queries.case_evidence(db, case, shared_only=not sees_file),
        notices=queries.notices_to(db, case, current_user) if subject_view else [],
        letters=queries.letters(db, case) if sees_file or subject_view else [],
        notes=queries.interview_notes(db, case) if sees_file else [],
        linked=linked,
        evidence_form=evidence_form or EvidenceForm(formdata=None),
        # Everyone on record, only where the page offers the form (an open case's file).
        interview_form=interview_form
        or InterviewForm(formdata=None, colleagues=people.active_people(db) if sees_file and case.is_open else ()),
        steps=queries.step_states(case),
        may_export=current_user.has_role(Role.HR) and access.can_view_case(current_user, case),
        deadlines=deadlines.waiting(db, get_ctx().library, case) if sees_file else [],
        nobody=_nobody_can_take(db, case, tasks) if sees_file else [],
    )


def _nobody_can_take(db, case, tasks) -> list[str]:
    """Why each waiting step nobody may take waits for nobody, and who could take it."""
    waiting = (pools.why_nobody(db, case, t) for t in tasks if t.state == TaskState.READY)
    return [reason for reason in waiting if reason]


def _without_hidden_links(timeline: list, linked: list) -> list:
    """A linked case the viewer may not open is not named to them, even on the timeline."""
    visible = {c.reference for c in linked}
    return [e for e in timeline if e.action != "case_linked" or e.data.get("linked_case") in visible]


@bp.route("/<reference>/diagram.bpmn")
@login_required
def diagram(reference: str):
    db = get_db()
    case = view_case(db, current_user, reference)
    return Response(get_ctx().library.bpmn_xml(db, case.spec_hash), mimetype="application/xml")


@bp.route("/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    db = get_db()
    item = db.get(Evidence, evidence_id)
    if item is None or item.kind != "file" or item.case is None:
        raise NotFound("There is no such evidence file.")
    if not access.can_see_evidence(current_user, item):
        access.refuse(current_user, item.case, f"downloaded evidence #{item.id}")
    if item.erased_at:
        return render_template("cases/erased.html", what="evidence file", record=item), 410
    audit.record(
        db,
        item.case_id,
        "evidence_downloaded",
        Actor.person(current_user),
        {
            "evidence_id": item.id,
            "filename": item.filename,
            "sha256": item.sha256,
            "as": reads.basis(current_user, item.case),
        },
    )
    return send_file(
        evidence_path(get_ctx().settings, item.sha256),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=safe_filename(item.filename),  # names stored before they were cleaned, too
    )
