"""The security battery: cross-site request forgery. The routes come from the step's own URL
map, so a route a step adds is attacked without editing this file:

- every route of the site that takes a POST refuses it without the form's CSRF token, and
  stores nothing; the same request with its token does change something (or the refusal
  would prove nothing);
- no GET, of the site or of the API, changes anything stored, sends the browser to another
  site named in its query, or shows a password's hash.
"""
import base64
from urllib.parse import urlencode

import pytest

import pages
from accounts import csrf_on
from world import ELSEWHERE, World, form_fields, leaves_the_site, log_in, site_rules
from world import request as send

# what decides how a request is answered: the application, its views and their decorators
VIEWS = ('hello.py', 'app/__init__.py', 'app/main/views.py', 'app/auth/views.py',
         'app/api_1_0/', 'app/decorators.py')
# and for a form of the site: the form (a new route that takes a POST comes with a view;
# CSRFProtect, not the template, refuses a request without the token); not the API's views
ROUTES = tuple(path for path in VIEWS if path != 'app/api_1_0/') + (
    'app/main/forms.py', 'app/auth/forms.py')

# the routes a visitor uses before logging in; the others are tried by john, logged in
ANONYMOUS = {'auth.login', 'auth.register', 'auth.password_reset_request',
             'auth.password_reset'}

# GET routes that change something on purpose, and why that is safe
GET_ALLOWED = {
    'auth.logout': 'ends the session and stores nothing; a forged logout can do no harm',
    'auth.confirm': "a mail's link; its token names the user, the purpose and an expiry",
    'auth.change_email': "a mail's link; its token names the user, the new address and an "
                         'expiry',
}


def valid_data(endpoint, fields):
    """What a user would submit on the route's form: the form's own values, the text fields
    filled, the passwords the world's users have. A new password is the same again (a new
    hash all the same): the routes tried after it still log in with it."""
    data = {name: value for name, value in fields.items() if name != 'csrf_token'}
    for name in data:
        if name in ('name', 'location', 'about_me', 'body'):
            data[name] = 'Forged {}'.format(name)
    data.update({
        'auth.login': {'email': 'john@example.com', 'password': 'cat'},
        'auth.register': {'email': 'mallory@example.com', 'username': 'mallory',
                          'password': 'dog', 'password2': 'dog'},
        'auth.change_password': {'old_password': 'cat', 'password': 'cat', 'password2': 'cat'},
        'auth.password_reset_request': {'email': 'susan@example.com'},
        'auth.password_reset': {'email': 'susan@example.com', 'password': 'cat',
                                'password2': 'cat'},
        'auth.change_email_request': {'email': 'new-john@example.com', 'password': 'cat'},
    }.get(endpoint, {}))
    return {name: value for name, value in data.items() if name in fields}


def post_routes(app):
    return sorted((rule for rule in site_rules(app) if 'POST' in rule.methods),
                  key=lambda rule: rule.endpoint)


def client_for(app, world, endpoint):
    client = app.test_client()
    if world.users and endpoint not in ANONYMOUS:
        log_in(client)
    return client


def token_page(world, rule, endpoint, path):
    """The page whose form a user submits to this route: itself, or for a route with no
    page of its own (a button), a page that carries the session's token."""
    if 'GET' in rule.methods:
        return path
    return '/auth/login'


@pytest.mark.steps('4b', touching=ROUTES)
def test_every_post_of_the_site_needs_its_csrf_token(app, step_module, client, request):
    world = make_world(app, step_module, request)
    routes = post_routes(app)
    assert routes, 'the battery found no route that takes a POST'
    with csrf_on(app):
        for rule in routes:
            endpoint = rule.endpoint
            path = world.path(rule, endpoint)
            user = client_for(app, world, endpoint)
            form = request_page(user, token_page(world, rule, endpoint, path))
            fields = form_fields(form) if 'GET' in rule.methods else {}
            data = valid_data(endpoint, fields)
            before = world.stored(user)
            forged = send(user, 'POST', path, data=data)
            assert forged.status_code in (200, 400), (endpoint, forged.status_code)
            assert world.stored(user) == before, '{} changed something without its token' \
                .format(endpoint)
            prepare_control(world, endpoint)
            before = world.stored(user)
            token = pages.hidden_value(form)
            assert token, '{}: no CSRF token on {}'.format(endpoint, token_page(
                world, rule, endpoint, path))
            sent = send(user, 'POST', path, data=dict(data, csrf_token=token))
            assert world.stored(user) != before, (
                '{}: the control request with its token changed nothing ({}): the battery '
                'sends it the wrong data: {}\n{}'.format(endpoint, sent.status_code, data,
                                                         sent.get_data(True)[:3000]))


# one crawl for three attacks: every GET route, as john (shown the most: an administrator,
# his API credentials for the API), with another site's address in the query
@pytest.mark.steps('2a', touching=VIEWS + ('app/models.py#User.ping', 'app/templates/',
                                           'app/models.py#User.to_json', 'app/email.py'))
def test_every_get_stores_nothing_leads_only_here_and_shows_no_hash(app, step_module, client,
                                                                     request):
    world = make_world(app, step_module, request)
    john = client_for(app, world, 'main.index')
    query = urlencode({'next': ELSEWHERE[1], 'url': ELSEWHERE[2], 'page': ELSEWHERE[0]})
    api = {'Authorization': 'Basic ' + base64.b64encode(b'john@example.com:cat').decode()}
    rules = [rule for rule in app.url_map.iter_rules()
             if 'GET' in rule.methods and rule.endpoint not in GET_ALLOWED
             and not rule.endpoint.endswith('static')]
    secrets = world.password_hashes()
    for rule in sorted(rules, key=lambda rule: rule.endpoint):
        path = '{}?{}'.format(world.path(rule, rule.endpoint), query)
        before = world.stored(john)
        response = send(john, 'GET', path,
                        headers=api if rule.endpoint.startswith('api.') and secrets else {})
        assert response.status_code < 500, (path, response.status_code)
        assert world.stored(john) == before, 'GET {} changed something stored'.format(path)
        location = response.headers.get('Location')
        assert location is None or not leaves_the_site(location), (path, location)
        assert_no_hash(response.get_data(True), secrets, path)


def assert_no_hash(text, secrets, where):
    """No password hash in `text`: none of the users', nor anything of werkzeug's formats."""
    for secret in secrets:
        assert secret not in text, where
    for prefix in ('pbkdf2:', 'scrypt:'):
        assert prefix not in text, where


def request_page(client, path):
    response = send(client, 'GET', path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(True)


def prepare_control(world, endpoint):
    """What the control request needs to have something to change."""
    if endpoint == 'main.moderate_enable':
        comment = world.db.session.get(world.models.Comment, world.ids['comment'])
        comment.disabled = True
        world.db.session.commit()


def make_world(app, step_module, request):
    """The world of the step: users, a post, a comment, follows, as far as the step has
    them; the mail its auth views send counted from chapter 8."""
    if 'sqlalchemy' not in app.extensions:
        return World(app)
    models = step_module('app.models') if (app.root_path.endswith('app')) else None
    db = request.getfixturevalue('db')
    roles = request.getfixturevalue('roles') if models is not None and \
        hasattr(models, 'Role') and hasattr(models.Role, 'insert_roles') else None
    outbox = request.getfixturevalue('outbox') if models is not None and \
        _has_auth_mail(step_module) else None
    return World(app, models, db, roles, outbox)


def _has_auth_mail(step_module):
    try:
        return hasattr(step_module('app.auth.views'), 'send_email')
    except ImportError:
        return False
