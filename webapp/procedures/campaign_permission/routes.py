from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from models import AccountAuthorisation, User
from workflows.engine import access, people, registry, workdays
from workflows.engine.errors import InvalidInput
from workflows.procedures.campaign_permission import approved_campaigns, authorisations
from workflows.procedures.campaign_permission.opening import CampaignRequest, allowed_starts, request_campaign
from workflows.procedures.campaign_permission.vocabulary import ACCOUNTS, KIND

from ...extensions import get_ctx, get_db
from ...forms import show_errors
from . import bp
from .forms import CampaignForm, EndForm, GrantForm


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db = get_db()
    if not access.can_open(current_user, registry.get(KIND)):
        access.refuse(current_user, None, "opened the campaign permission form")
    form = CampaignForm()
    if form.validate_on_submit():
        request = CampaignRequest(**{name: form[name].data for name in CampaignRequest.__dataclass_fields__})
        try:
            case = request_campaign(get_ctx(), current_user, request)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash(f"Request {case.reference} has gone to the Hub Manager.", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template(
        "campaign_permission/new.html",
        form=form,
        held=authorisations.of(db, current_user),
        accounts=ACCOUNTS,
        allowed=allowed_starts(),
        ask=authorisations.who_can_authorise(db),
    )


@bp.route("/register")
@login_required
def register():
    """Approved campaigns: public campaigns on BCW Hub's own accounts, so anyone signed in may see them."""
    return render_template("campaign_permission/register.html", campaigns=approved_campaigns.approved(get_db()))


@bp.route("/authorisations", methods=["GET", "POST"])
@login_required
def authorised():
    """Who may contribute to which account: the Hub Manager's and admins' to grant and end."""
    db = get_db()
    _only_granters("opened the register of authorisations on BCW Hub's accounts")
    form = GrantForm(people=people.active_people(db))
    if form.validate_on_submit():
        person = db.get(User, form.person.data)
        try:
            if person is None:
                raise InvalidInput("Choose who is authorised.", "person")
            authorisations.grant(get_ctx(), current_user, person, form.account.data, form.until.data)
        except InvalidInput as error:
            db.rollback()
            show_errors(form, error)
        else:
            flash(f"{person.name} is authorised on {ACCOUNTS[form.account.data]}.", "success")
            return redirect(url_for(".authorised"))
    return _register_page(form)


@bp.route("/authorisations/<int:authorisation_id>/end", methods=["POST"])
@login_required
def end(authorisation_id: int):
    db = get_db()
    _only_granters("ended an authorisation on BCW Hub's accounts")
    row = db.get(AccountAuthorisation, authorisation_id)
    if row is None:
        abort(404)
    form = EndForm()
    if form.validate_on_submit():
        try:
            authorisations.end(get_ctx(), current_user, row, form.reason.data or "")
        except InvalidInput as error:
            db.rollback()
            db.refresh(row)
            return _register_page(GrantForm(people=people.active_people(db), formdata=None), row, error)
        flash(f"{row.person.name}'s authorisation on {ACCOUNTS.get(row.account, row.account)} has ended.", "success")
        return redirect(url_for(".authorised"))
    return _register_page(GrantForm(people=people.active_people(db), formdata=None), row, None, form)


def _only_granters(attempted: str) -> None:
    if not authorisations.may_grant(current_user):
        access.refuse(current_user, None, attempted)


def _register_page(grant_form, ending=None, error: InvalidInput | None = None, end_form=None):
    """The register, with the grant form and, beside the one being ended, its refusal."""
    end_form = end_form or EndForm(formdata=None) if ending else None
    if error is not None:
        end_form = EndForm()
        show_errors(end_form, error, "reason")
    return render_template(
        "campaign_permission/authorisations.html",
        form=grant_form,
        rows=authorisations.live(get_db()),
        accounts=ACCOUNTS,
        ending=ending,
        end_form=end_form,
        today=workdays.today(),
    )


@bp.app_template_filter("longdate")
def longdate(day: date | str | None) -> str:
    """ "Monday 9 March 2026", from a date or ISO text (as case data keeps it)."""
    if not day:
        return ""
    return workdays.long_date(date.fromisoformat(day) if isinstance(day, str) else day)
