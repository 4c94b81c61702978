from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class NameForm(FlaskForm):
    # 64 characters: room for any real name, and no megabyte-long "name" echoed back
    name = StringField('What is your name?', validators=[DataRequired(), Length(max=64)])
    submit = SubmitField('Submit')
