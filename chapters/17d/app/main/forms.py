from flask_pagedown.fields import PageDownField
from flask_wtf import FlaskForm
from wtforms import (BooleanField, SelectField, StringField, SubmitField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Email, Length, Regexp

from ..models import Role, User


class NameForm(FlaskForm):
    # 64 characters: room for any real name, and no megabyte-long "name" echoed back
    name = StringField('What is your name?', validators=[DataRequired(), Length(max=64)])
    submit = SubmitField('Submit')


class PostForm(FlaskForm):
    # a text area with a live preview of the Markdown below it
    body = PageDownField("What's on your mind?", validators=[DataRequired()])
    submit = SubmitField('Submit')


class CommentForm(FlaskForm):
    body = StringField('Enter your comment', validators=[DataRequired()])
    submit = SubmitField('Submit')


class EditProfileForm(FlaskForm):
    name = StringField('Real name', validators=[Length(0, 64)])
    location = StringField('Location', validators=[Length(0, 64)])
    about_me = TextAreaField('About me')
    submit = SubmitField('Submit')


class EditProfileAdminForm(FlaskForm):
    email = StringField('Email', validators=[DataRequired(), Length(1, 64), Email()])
    username = StringField('Username', validators=[
        DataRequired(), Length(1, 64),
        Regexp('^[A-Za-z][A-Za-z0-9_.]*$', 0,
               'Usernames must have only letters, numbers, dots or underscores')])
    confirmed = BooleanField('Confirmed')
    # coerce=int: the form sends the role's id as text
    role = SelectField('Role', coerce=int)
    name = StringField('Real name', validators=[Length(0, 64)])
    location = StringField('Location', validators=[Length(0, 64)])
    about_me = TextAreaField('About me')
    submit = SubmitField('Submit')

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.id, role.name)
                             for role in Role.query.order_by(Role.name).all()]
        self.user = user

    # the user's own email and username are of course allowed: they are taken by this user
    def validate_email(self, field):
        if field.data.lower() != self.user.email and \
                User.query.filter_by(email=field.data.lower()).first():
            raise ValidationError('Email already registered.')

    def validate_username(self, field):
        if field.data != self.user.username and \
                User.query.filter_by(username=field.data).first():
            raise ValidationError('Username already in use.')
