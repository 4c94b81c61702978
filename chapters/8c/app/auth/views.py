from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from . import auth
from .forms import LoginForm
from ..models import User


def redirect_target(next_url):
    """`next_url` if it is a path on this site, else the home page. Anyone can send a link
    to the login page with a `next` of their own, so it must not lead to another site."""
    # browsers read '\' as '/' and drop tabs and newlines: '/\evil.example' and
    # '/\t/evil.example' lead to //evil.example, which is another site
    path = (next_url or '').replace('\\', '/')
    if path.startswith('/') and not path.startswith('//') and path.isprintable():
        return path
    return url_for('main.index')


@auth.route('/login', methods=['GET', 'POST'])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        # addresses are stored in lower case: Dave@Example.com logs in as dave@example.com
        user = User.query.filter_by(email=form.email.data.lower()).first()
        if user is not None and user.verify_password(form.password.data):
            login_user(user, form.remember_me.data)
            return redirect(redirect_target(request.args.get('next')))
        # one message for both mistakes: the page does not say which one it was
        flash('Invalid username or password.')
    return render_template('auth/login.html', form=form)


@auth.route('/logout')
@login_required
def logout():
    logout_user()
    flash('You have been logged out.')
    return redirect(url_for('main.index'))
