from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from . import auth
from .forms import (ChangeEmailForm, ChangePasswordForm, LoginForm, PasswordResetForm,
                    PasswordResetRequestForm, RegistrationForm)
from .. import db
from ..email import send_email
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


@auth.before_app_request
def before_request():
    if current_user.is_authenticated:
        current_user.ping()
        # until the account is confirmed, only the auth pages and the static files are open;
        # the API answers an unconfirmed account itself (403), it has no pages to send it to
        if not current_user.confirmed \
                and request.blueprint != 'auth' \
                and not request.path.startswith('/api/') \
                and request.endpoint != 'static':
            return redirect(url_for('auth.unconfirmed'))


@auth.route('/unconfirmed')
def unconfirmed():
    if current_user.is_anonymous or current_user.confirmed:
        return redirect(url_for('main.index'))
    return render_template('auth/unconfirmed.html')


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


@auth.route('/register', methods=['GET', 'POST'])
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        user = User(email=form.email.data.lower(), username=form.username.data,
                    password=form.password.data)
        db.session.add(user)
        # committed first: the token holds the user's id, which the database gives
        db.session.commit()
        token = user.generate_confirmation_token()
        send_email(user.email, 'Confirm Your Account', 'auth/email/confirm', user=user,
                   token=token)
        flash('A confirmation email has been sent to you.')
        return redirect(url_for('auth.login'))
    return render_template('auth/register.html', form=form)


@auth.route('/confirm/<token>')
@login_required
def confirm(token):
    if current_user.confirmed:
        return redirect(url_for('main.index'))
    if current_user.confirm(token):
        db.session.commit()
        flash('You have confirmed your account. Thanks!')
    else:
        flash('The confirmation link is invalid or has expired.')
    return redirect(url_for('main.index'))


# a POST, not the book's GET link: sending mail is an action, not a page to look at
@auth.route('/confirm', methods=['POST'])
@login_required
def resend_confirmation():
    token = current_user.generate_confirmation_token()
    send_email(current_user.email, 'Confirm Your Account', 'auth/email/confirm',
               user=current_user, token=token)
    flash('A new confirmation email has been sent to you.')
    return redirect(url_for('main.index'))


@auth.route('/change-password', methods=['GET', 'POST'])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        # the old password again: a browser left logged in must not be enough
        if current_user.verify_password(form.old_password.data):
            current_user.password = form.password.data
            db.session.add(current_user)
            db.session.commit()
            flash('Your password has been updated.')
            return redirect(url_for('main.index'))
        flash('Invalid password.')
    return render_template('auth/change_password.html', form=form)


@auth.route('/reset', methods=['GET', 'POST'])
def password_reset_request():
    if not current_user.is_anonymous:
        return redirect(url_for('main.index'))
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data.lower()).first()
        if user:
            token = user.generate_reset_token()
            send_email(user.email, 'Reset Your Password', 'auth/email/reset_password',
                       user=user, token=token)
        # the same answer whether the address has an account or not
        flash('If that address has an account, an email with instructions to reset your '
              'password has been sent to it.')
        return redirect(url_for('auth.login'))
    return render_template('auth/reset_password.html', form=form)


@auth.route('/reset/<token>', methods=['GET', 'POST'])
def password_reset(token):
    if not current_user.is_anonymous:
        return redirect(url_for('main.index'))
    form = PasswordResetForm()
    if form.validate_on_submit():
        if User.reset_password(token, form.password.data):
            db.session.commit()
            flash('Your password has been updated.')
            return redirect(url_for('auth.login'))
        flash('The reset link is invalid or has expired.')
        return redirect(url_for('main.index'))
    return render_template('auth/reset_password.html', form=form)


@auth.route('/change-email', methods=['GET', 'POST'])
@login_required
def change_email_request():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if current_user.verify_password(form.password.data):
            new_email = form.email.data.lower()
            token = current_user.generate_email_change_token(new_email)
            # to the new address: the link proves that it belongs to this user
            send_email(new_email, 'Confirm your email address', 'auth/email/change_email',
                       user=current_user, token=token)
            flash('An email with instructions to confirm your new email address has been '
                  'sent to you.')
            return redirect(url_for('main.index'))
        flash('Invalid email or password.')
    return render_template('auth/change_email.html', form=form)


@auth.route('/change-email/<token>')
@login_required
def change_email(token):
    if current_user.change_email(token):
        db.session.commit()
        flash('Your email address has been updated.')
    else:
        flash('Invalid request.')
    return redirect(url_for('main.index'))
