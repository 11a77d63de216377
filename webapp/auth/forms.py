from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


class LogoutForm(FlaskForm):
    submit = SubmitField("Sign out")


class WelcomeForm(FlaskForm):
    """A first password, chosen through the emailed link (workflows/engine/invitations.py checks it)."""

    password = PasswordField(
        "Choose a password",
        validators=[DataRequired("Choose a password."), Length(max=200)],
        description="At least 12 characters. A few unrelated words make a good one.",
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        "Type it again", validators=[DataRequired("Type it again.")], render_kw={"autocomplete": "new-password"}
    )
    submit = SubmitField("Set my password")
