"""Case-file additions (evidence, interview notes) and letters."""

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from models import User
from workflows.engine import casefile, people
from workflows.engine.cases import get_case, view_case
from workflows.engine.errors import InvalidInput
from workflows.engine.evidence import evidence_path, store_upload, url_evidence

from ..extensions import get_ctx, get_db
from ..forms import show_errors
from . import bp
from .forms import EvidenceForm, InterviewForm
from .routes import case_page


@bp.route("/<reference>/evidence", methods=["POST"])
@login_required
def add_evidence(reference: str):
    return _add_to_case_file(
        reference,
        EvidenceForm(),
        "evidence",
        lambda ctx, case, form: casefile.add_evidence(
            ctx, case, current_user, _evidence(ctx, form), form.shared_with_subject.data == "yes"
        ),
        default_field="file",
    )


@bp.route("/<reference>/statement")
@login_required
def statement(reference: str):
    """A witness's own statement: the one page of the case they see."""
    ctx = get_ctx()
    case = get_case(ctx.db, reference)
    notes = casefile.own_statement(ctx, case, current_user)
    return render_template("cases/statement.html", case=case, notes=notes)


@bp.route("/<reference>/interviews", methods=["POST"])
@login_required
def add_interview(reference: str):
    return _add_to_case_file(
        reference,
        InterviewForm(colleagues=people.active_people(get_db())),
        "interview notes",
        lambda ctx, case, form: casefile.add_interview_note(
            ctx,
            case,
            current_user,
            form.witness.data or "",
            form.interviewed_on.data,
            form.notes.data,
            _colleague(ctx, form.witness_id.data),
        ),
        default_field="submit",
    )


def _add_to_case_file(reference: str, form, what: str, add, default_field: str):
    """Validate and add. Refused, the form comes back on the case page with
    each message beside its field and what was typed kept; a case that has
    ended has no form to come back to, so that is said at the top.
    Who may add is asked first, so a refused upload is never stored."""
    ctx = get_ctx()
    case = view_case(ctx.db, current_user, reference)
    try:
        casefile.check_can_add(ctx, case, current_user, what)
    except InvalidInput as error:
        ctx.db.rollback()
        flash(f"{what.capitalize()} not added: {error}", "danger")
        return redirect(url_for("cases.show", reference=reference, _anchor="case-file"))
    if form.validate_on_submit():
        try:
            add(ctx, case, form)
        except InvalidInput as error:
            show_errors(form, error, default_field)
        else:
            flash(f"{what.capitalize()} added.", "success")
            return redirect(url_for("cases.show", reference=reference, _anchor="case-file"))
    ctx.db.rollback()  # nothing added: the page below records its own view
    upload = form.file.data if "file" in form else None
    if upload and upload.filename and not form.file.errors:
        form.file.errors = ["For your safety, files are not kept when a form has errors: please choose the file again."]
    return case_page(reference, **{"evidence_form" if "file" in form else "interview_form": form})


def _colleague(ctx, person_id: int | None):
    if not person_id:
        return None
    person = ctx.db.get(User, person_id) if 0 < person_id < 2**31 else None
    if person is None or not person.active:
        raise InvalidInput("Choose the colleague from the list.", "witness_id")
    return person


def _evidence(ctx, form):
    upload = form.file.data
    if upload and upload.filename:
        return store_upload(ctx.settings, upload.stream, upload.filename, current_user, form.description.data.strip())
    if form.url.data:
        item = url_evidence(form.url.data, current_user)
        item.description = form.description.data.strip()
        return item
    raise InvalidInput("Attach a file or give a link.", "file")


@bp.route("/letters/<int:letter_id>")
@login_required
def letter(letter_id: int):
    item = casefile.open_letter(get_ctx(), current_user, letter_id, "viewed")
    if item.erased_at:
        return render_template("cases/erased.html", what="letter", record=item), 410
    return render_template("cases/letter.html", letter=item)


@bp.route("/letters/<int:letter_id>.pdf")
@login_required
def letter_pdf(letter_id: int):
    ctx = get_ctx()
    item = casefile.open_letter(ctx, current_user, letter_id, "downloaded")
    if item.erased_at:
        return render_template("cases/erased.html", what="letter", record=item), 410
    return send_file(
        evidence_path(ctx.settings, item.pdf_sha256),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{item.kind}-{item.case_id}.pdf",
    )
