from flask import g, jsonify
from flask_httpauth import HTTPBasicAuth

from . import api
from .errors import forbidden, unauthorized
from ..models import AnonymousUser, User

auth = HTTPBasicAuth()


# HTTP Basic authentication, with an email and a password, or with a token in place of the
# email and no password. Only this decides who calls the API: a session cookie that a
# browser sends along is ignored, so a page on another site cannot act through it.
@auth.verify_password
def verify_password(email_or_token, password):
    if email_or_token == '':
        # no credentials: an anonymous visitor, who may only read
        g.current_user = AnonymousUser()
        return g.current_user
    if password == '':
        g.current_user = User.verify_auth_token(email_or_token)
        g.token_used = True
        return g.current_user
    user = User.query.filter_by(email=email_or_token.lower()).first()
    if user is None or not user.verify_password(password):
        return None
    g.current_user = user
    g.token_used = False
    return user


@auth.error_handler
def auth_error():
    return unauthorized('Invalid credentials')


# every route of the blueprint: authenticated (perhaps anonymously) and confirmed
@api.before_request
@auth.login_required
def before_request():
    if not g.current_user.is_anonymous and not g.current_user.confirmed:
        return forbidden('Unconfirmed account')


@api.route('/token')
def get_token():
    # a token is had for an email and a password, not for another token, which would never
    # expire then
    if g.current_user.is_anonymous or g.token_used:
        return unauthorized('Invalid credentials')
    return jsonify({'token': g.current_user.generate_auth_token(expiration=3600),
                    'expiration': 3600})
