import os

from flask import Flask, redirect, render_template, session, url_for
from flask_bootstrap import Bootstrap, StaticCDN
from flask_moment import Moment
from flask_script_ng import Manager, Shell
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

basedir = os.path.abspath(os.path.dirname(__file__))

app = Flask(__name__)
# signs the session cookie and the forms' CSRF tokens: set your own in SECRET_KEY, the
# fallback is public (it is written right here) and only good for trying the step out
app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY') or 'not secret: for development only'
# data.sqlite beside this file, whatever the current folder; DATABASE_URL picks another one
# (the tests give every step a database of its own that way)
app.config['SQLALCHEMY_DATABASE_URI'] = os.environ.get('DATABASE_URL') or \
    'sqlite:///' + os.path.join(basedir, 'data.sqlite')
manager = Manager(app)
bootstrap = Bootstrap(app)
# Bootstrap and jQuery from static/ (scripts/assets puts them there), not from a CDN, so the
# pages work offline and no third party learns who visits them; and not the older copies
# inside Flask-Bootstrap, which have known XSS bugs
app.extensions['bootstrap']['cdns'].update(bootstrap=StaticCDN(), jquery=StaticCDN())
moment = Moment(app)
db = SQLAlchemy(app)


class Role(db.Model):
    __tablename__ = 'roles'
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), unique=True)
    # 'dynamic': role.users is a query to refine (role.users.count(), .order_by(...)), and
    # the backref gives every User a .role
    users = db.relationship('User', backref='role', lazy='dynamic')

    def __repr__(self):
        return '<Role %r>' % self.name


class User(db.Model):
    __tablename__ = 'users'
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, index=True)
    role_id = db.Column(db.Integer, db.ForeignKey('roles.id'))

    def __repr__(self):
        return '<User %r>' % self.username


def make_shell_context():
    # what `python hello.py shell` starts with, so nothing needs importing there
    return dict(app=app, db=db, User=User, Role=Role)


manager.add_command('shell', Shell(make_context=make_shell_context))


class NameForm(FlaskForm):
    # 64 characters: room for any real name, and no megabyte-long "name" echoed back
    name = StringField('What is your name?', validators=[DataRequired(), Length(max=64)])
    submit = SubmitField('Submit')


@app.route('/', methods=['GET', 'POST'])
def index():
    form = NameForm()
    if form.validate_on_submit():
        user = User.query.filter_by(username=form.name.data).first()
        if user is None:
            user = User(username=form.name.data)
            db.session.add(user)
            # the book relied on SQLALCHEMY_COMMIT_ON_TEARDOWN, which Flask-SQLAlchemy 3 no
            # longer has: without this commit the new user is thrown away after the request
            db.session.commit()
            session['known'] = False
        else:
            session['known'] = True
        session['name'] = form.name.data
        # answer a POST with a redirect: reloading the page then repeats the GET, not the post
        return redirect(url_for('index'))
    return render_template('index.html', form=form, name=session.get('name'),
                           known=session.get('known', False))


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
