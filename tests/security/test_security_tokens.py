"""The security battery: the tokens of mails and of the API. Each is tried through its
route altered, expired, made for another purpose and (where a token names its user and the
route another) made for another user: nothing happens. The genuine token, last, does what
it is for, so that the refusals prove something."""
import base64

import pytest

import depends
from test_security_requests import make_world
from world import log_in
from world import request as send

TOKENS = depends.AUTH + ('app/api_1_0/authentication.py',)
PURPOSES = ('confirm', 'reset', 'change_email', 'auth')


def altered(token):
    """The token with one character of its signature changed."""
    return token[:-2] + ('A' if token[-2] != 'A' else 'B') + token[-1]


def forged_tokens(world, purpose, user='susan', other='bob'):
    """{description: token} of every way the battery forges a token for `purpose`."""
    person = world.users[user]
    genuine = world.token(purpose, user)
    forged = {'altered': altered(genuine)}
    if purpose == 'confirm':
        forged['expired'] = person.generate_confirmation_token(expiration=-1)
    elif purpose == 'reset':
        forged['expired'] = person.generate_reset_token(expiration=-1)
    elif purpose == 'change_email':
        forged['expired'] = person.generate_email_change_token('x@example.com', expiration=-1)
    else:
        forged['expired'] = person.generate_auth_token(expiration=-1)
    for kind in PURPOSES:
        if kind != purpose and has_purpose(world, kind):
            forged['made for ' + kind] = world.token(kind, user)
    if other and purpose in ('confirm', 'change_email'):
        forged['of another user'] = world.token(purpose, other)
    return forged, genuine


def has_purpose(world, kind):
    method = {'confirm': 'generate_confirmation_token', 'reset': 'generate_reset_token',
              'change_email': 'generate_email_change_token',
              'auth': 'generate_auth_token'}[kind]
    return hasattr(world.models.User, method)


def susan(world):
    world.db.session.expire_all()
    return world.db.session.get(world.models.User, world.ids['user'])


@pytest.mark.steps('8e', touching=TOKENS)
def test_a_forged_confirmation_token_confirms_nobody(app, step_module, client, request):
    world = make_world(app, step_module, request)
    susan(world).confirmed = False
    world.db.session.commit()
    browser = app.test_client()
    log_in(browser, 'susan')
    forged, genuine = forged_tokens(world, 'confirm')
    for how, token in forged.items():
        send(browser, 'GET', '/auth/confirm/' + token)
        assert not susan(world).confirmed, how
    send(browser, 'GET', '/auth/confirm/' + genuine)
    assert susan(world).confirmed


@pytest.mark.steps('8g', touching=TOKENS)
def test_a_forged_reset_token_changes_no_password(app, step_module, client, request):
    world = make_world(app, step_module, request)
    forged, genuine = forged_tokens(world, 'reset')
    data = {'email': 'susan@example.com', 'password': 'mallory', 'password2': 'mallory'}
    for how, token in forged.items():
        send(app.test_client(), 'POST', '/auth/reset/' + token, data=data)
        assert susan(world).verify_password('cat') and not \
            susan(world).verify_password('mallory'), how
    send(app.test_client(), 'POST', '/auth/reset/' + genuine, data=data)
    assert susan(world).verify_password('mallory')


@pytest.mark.steps('8h', touching=TOKENS)
def test_a_forged_email_change_token_changes_no_address(app, step_module, client, request):
    world = make_world(app, step_module, request)
    browser = app.test_client()
    log_in(browser, 'susan')
    forged, genuine = forged_tokens(world, 'change_email')
    for how, token in forged.items():
        send(browser, 'GET', '/auth/change-email/' + token)
        assert susan(world).email == 'susan@example.com', how
    send(browser, 'GET', '/auth/change-email/' + genuine)
    assert susan(world).email == 'new-susan@example.com'


@pytest.mark.steps('14a', touching=TOKENS + depends.API)
def test_a_forged_api_token_opens_nothing(app, step_module, client, request):
    world = make_world(app, step_module, request)
    forged, genuine = forged_tokens(world, 'auth', other=None)

    def call(token):
        credentials = base64.b64encode((token + ':').encode()).decode()
        return send(app.test_client(), 'POST', '/api/v1.0/posts/', json={'body': 'forged'},
                    headers={'Authorization': 'Basic ' + credentials})

    for how, token in forged.items():
        assert call(token).status_code == 401, how
    assert world.models.Post.query.filter_by(body='forged').count() == 0
    assert call(genuine).status_code == 201
