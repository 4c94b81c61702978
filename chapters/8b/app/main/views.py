from flask import current_app, redirect, render_template, session, url_for

from . import main
from .forms import NameForm
from .. import db
from ..email import send_email
from ..models import User


@main.route('/', methods=['GET', 'POST'])
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
            if current_app.config['FLASKY_ADMIN']:
                send_email(current_app.config['FLASKY_ADMIN'], 'New User', 'mail/new_user',
                           user=user)
        else:
            session['known'] = True
        session['name'] = form.name.data
        # answer a POST with a redirect: reloading the page then repeats the GET, not the post;
        # '.index' is this blueprint's index, main.index in full
        return redirect(url_for('.index'))
    return render_template('index.html', form=form, name=session.get('name'),
                           known=session.get('known', False))


@main.route('/user/<name>')
def user(name):
    # no escape() here any more: Jinja2 escapes {{ name }} in .html templates
    return render_template('user.html', name=name)
