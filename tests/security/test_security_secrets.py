"""The security battery: secrets. No page, mail or API answer holds a password's hash; the
cookies that carry a session are out of scripts' reach (HttpOnly) and, in production, sent
over HTTPS only (Secure), where a key of the deployment's own is required."""
import importlib

import pytest

import depends
from test_security_requests import assert_no_hash, make_world
from world import log_in
from world import request as send

@pytest.mark.steps('8e', touching=depends.AUTH)
def test_no_mail_holds_a_password_hash(app, step_module, client, request):
    """The pages and the API answers: test_security_requests' crawl of every GET route."""
    world = make_world(app, step_module, request)
    john = app.test_client()
    log_in(john)
    send(app.test_client(), 'POST', '/auth/register', data={
        'email': 'mallory@example.com', 'username': 'mallory', 'password': 'dog',
        'password2': 'dog'})
    send(app.test_client(), 'POST', '/auth/reset', data={'email': 'susan@example.com'})
    send(john, 'POST', '/auth/change-email', data={
        'email': 'new-john@example.com', 'password': 'cat'})
    send(john, 'POST', '/auth/confirm')
    assert world.outbox, 'no mail was sent: nothing checked'
    secrets = world.password_hashes()
    for message in world.outbox:
        assert_no_hash(message.body + (message.html or ''), secrets, message.subject)


@pytest.mark.steps('4b', touching=('hello.py', 'config.py', 'app/__init__.py',
                                   'app/auth/views.py'))
def test_the_session_and_remember_cookies_are_http_only(app, step_module, client, request):
    world = make_world(app, step_module, request)
    if world.users:
        response = send(app.test_client(), 'POST', '/auth/login', data={
            'email': 'john@example.com', 'password': 'cat', 'remember_me': 'y'})
        expected = {'session', 'remember_token'}
    else:  # before chapter 8: the name form keeps the name in the session
        response = send(app.test_client(), 'POST', '/', data={'name': 'Dave'})
        expected = {'session'}
    cookies = {header.split('=')[0]: header for header in response.headers.getlist('Set-Cookie')}
    assert expected <= set(cookies), cookies
    for name in expected:
        assert '; HttpOnly' in cookies[name], cookies[name]


@pytest.mark.steps('17b', touching=('config.py', 'app/__init__.py') + depends.AUTH)
def test_production_configurations_want_a_key_and_send_cookies_over_https_only(
        step, step_module, monkeypatch):
    production = [name for name, cls in step_module('config').config.items()
                  if issubclass(cls, step_module('config').ProductionConfig)]
    assert 'production' in production
    for name in production:
        monkeypatch.delenv('SECRET_KEY', raising=False)
        package = step_module('app')
        package.config = importlib.reload(step_module('config')).config
        with pytest.raises(RuntimeError, match='SECRET_KEY'):
            package.create_app(name)
        monkeypatch.setenv('SECRET_KEY', 'a key of this deployment')
        package.config = importlib.reload(step_module('config')).config
        application = package.create_app(name)
        assert application.config['SECRET_KEY'] == 'a key of this deployment'
        assert application.config['SESSION_COOKIE_SECURE'] is True
        assert application.config['REMEMBER_COOKIE_SECURE'] is True
        assert application.config.get('SESSION_COOKIE_HTTPONLY', True) is True
