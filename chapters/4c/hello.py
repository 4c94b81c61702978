import os

from flask import Flask, flash, redirect, render_template, session, url_for
from flask_bootstrap import Bootstrap, StaticCDN
from flask_moment import Moment
from flask_script_ng import Manager
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

app = Flask(__name__)
# signs the session cookie and the forms' CSRF tokens: set your own in SECRET_KEY, the
# fallback is public (it is written right here) and only good for trying the step out
app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY') or 'not secret: for development only'
manager = Manager(app)
bootstrap = Bootstrap(app)
# Bootstrap and jQuery from static/ (scripts/assets puts them there), not from a CDN, so the
# pages work offline and no third party learns who visits them; and not the older copies
# inside Flask-Bootstrap, which have known XSS bugs
app.extensions['bootstrap']['cdns'].update(bootstrap=StaticCDN(), jquery=StaticCDN())
moment = Moment(app)


class NameForm(FlaskForm):
    # 64 characters: room for any real name, and no megabyte-long "name" echoed back
    name = StringField('What is your name?', validators=[DataRequired(), Length(max=64)])
    submit = SubmitField('Submit')


@app.route('/', methods=['GET', 'POST'])
def index():
    form = NameForm()
    if form.validate_on_submit():
        old_name = session.get('name')
        if old_name is not None and old_name != form.name.data:
            flash('Looks like you have changed your name!')
        session['name'] = form.name.data
        # answer a POST with a redirect: reloading the page then repeats the GET, not the post
        return redirect(url_for('index'))
    return render_template('index.html', form=form, name=session.get('name'))


@app.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)


@app.errorhandler(404)
def page_not_found(e):
    return render_template('404.html'), 404


@app.errorhandler(500)
def internal_server_error(e):
    return render_template('500.html'), 500


if __name__ == '__main__':
    manager.run()
