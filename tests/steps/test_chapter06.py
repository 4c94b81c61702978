"""Chapter 6: email with Flask-Mail, sent to a real SMTP server (scripts/mailserver)."""
import logging
import threading

import pytest

import depends
import pages
from support import prepare_database, steplib

ADMIN = 'admin@example.com'
SENDER = 'Flasky Admin <flasky@example.com>'
MAIL_VARIABLES = ('FLASKY_ADMIN', 'FLASKY_MAIL_SENDER', 'MAIL_SERVER', 'MAIL_PORT',
                  'MAIL_USE_TLS', 'MAIL_USE_SSL', 'MAIL_USERNAME', 'MAIL_PASSWORD')


@pytest.fixture(autouse=True)
def no_mail_settings(monkeypatch):
    """Each test starts from the step's defaults, whatever the tester's environment says."""
    for name in MAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


# The step reads its settings when it is imported (by the `app` fixture): a test lists these
# fixtures before `app` or `client`.

@pytest.fixture
def mail_to(mailserver, monkeypatch):
    """The step sends to a running mail server (and has no admin)."""
    monkeypatch.setenv('MAIL_PORT', str(mailserver.port))
    return mailserver


@pytest.fixture
def admin_mail(mail_to, monkeypatch):
    """The step sends to a running mail server, and FLASKY_ADMIN is set."""
    monkeypatch.setenv('FLASKY_ADMIN', ADMIN)
    return mail_to


@pytest.fixture
def dead_mail(dead_mail_port, monkeypatch):
    """FLASKY_ADMIN is set but nothing listens on MAIL_PORT."""
    monkeypatch.setenv('FLASKY_ADMIN', ADMIN)


def parts(message):
    return (message.get_body(('plain',)).get_content(),
            message.get_body(('html',)).get_content())


def delivered(result):
    """send_email() returns the sending thread from 6b on (None in 6a): wait for it."""
    if isinstance(result, threading.Thread):
        result.join(timeout=20)
        assert not result.is_alive()


# configuration --------------------------------------------------------------------------

@pytest.mark.steps('6a', touching=depends.STARTUP)
def test_mail_settings_default_to_the_local_mail_server(app):
    config = app.config
    assert (config['MAIL_SERVER'], config['MAIL_PORT']) == ('127.0.0.1', 8025)
    assert (config['MAIL_USE_TLS'], config['MAIL_USE_SSL']) == (False, False)
    assert (config['MAIL_USERNAME'], config['MAIL_PASSWORD'], config['FLASKY_ADMIN']) == (
        None, None, None)
    assert config['FLASKY_MAIL_SUBJECT_PREFIX'] == '[Flasky]'
    assert config['FLASKY_MAIL_SENDER'] == SENDER


@pytest.mark.steps('6a', '6b')
@pytest.mark.parametrize('flag, expected', [('true', True), ('True', True), ('1', True),
                                            ('on', True), ('false', False), ('0', False),
                                            ('', False)])
def test_mail_settings_come_from_the_environment(step_module, monkeypatch, flag, expected):
    settings = {'MAIL_SERVER': 'smtp.example.com', 'MAIL_PORT': '587', 'MAIL_USE_TLS': flag,
                'MAIL_USE_SSL': flag, 'MAIL_USERNAME': 'me', 'MAIL_PASSWORD': 'secret',
                'FLASKY_ADMIN': ADMIN, 'FLASKY_MAIL_SENDER': 'Me <me@example.com>'}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    app = step_module('hello').app
    assert {name: app.config[name] for name in settings} == dict(
        settings, MAIL_PORT=587, MAIL_USE_TLS=expected, MAIL_USE_SSL=expected)
    mail = app.extensions['mail']  # Flask-Mail read the settings when it was set up
    assert (mail.server, mail.port, mail.use_tls, mail.username) == ('smtp.example.com', 587,
                                                                     expected, 'me')


# sending --------------------------------------------------------------------------------

@pytest.mark.steps('6a', '6b')
def test_send_email_renders_both_templates_and_sends(admin_mail, step_module, app):
    hello = step_module('hello')
    with app.test_request_context():
        delivered(hello.send_email('someone@example.com', 'Hello', 'mail/new_user',
                                   user=hello.User(username='Zed')))
    [message] = admin_mail.messages()
    assert message['To'] == 'someone@example.com'
    assert message['From'] == SENDER
    assert message['Subject'] == '[Flasky] Hello'
    text, html = parts(message)
    assert 'Zed' in text and 'Zed' in html


@pytest.mark.steps('6a', '6b')
def test_new_name_notifies_the_admin_once(admin_mail, client, db):
    assert client.post('/', data={'name': 'Dave'}).status_code == 302
    [message] = admin_mail.messages()
    assert message['To'] == ADMIN
    assert message['Subject'].startswith('[Flasky]')
    text, html = parts(message)
    assert 'Dave' in text and 'Dave' in html
    # a name already known is not news
    client.post('/', data={'name': 'Dave'})
    assert len(admin_mail.messages(count=2, timeout=1)) == 1


@pytest.mark.steps('6a', '6b')
def test_html_part_escapes_the_name_and_text_part_keeps_it(admin_mail, client, db):
    client.post('/', data={'name': '<b>x'})
    [message] = admin_mail.messages()
    text, html = parts(message)
    assert '&lt;b&gt;x' in html and '<b>x' not in html
    assert '<b>x' in text and '&lt;' not in text


@pytest.mark.steps('6a', '8b')
def test_no_admin_no_mail(mail_to, app, client, db):
    assert app.config['FLASKY_ADMIN'] is None
    assert client.post('/', data={'name': 'Dave'}).status_code == 302
    assert mail_to.messages(timeout=1) == []


@pytest.mark.steps('6b', '6b')
def test_send_email_returns_the_thread_that_delivers(admin_mail, step_module, app):
    hello = step_module('hello')
    with app.test_request_context():
        thread = hello.send_email(ADMIN, 'New User', 'mail/new_user',
                                  user=hello.User(username='Dave'))
    assert isinstance(thread, threading.Thread) and thread.ident is not None
    thread.join(timeout=20)
    assert not thread.is_alive()
    [message] = admin_mail.messages(timeout=0)  # delivered by the time the thread ends
    assert message['Subject'] == '[Flasky] New User'


@pytest.mark.steps('6b', '6b')
def test_dead_mail_server_does_not_break_the_page(dead_mail, monkeypatch, step_module, caplog,
                                                  client, db):
    hello = step_module('hello')
    threads = []

    def send_email(*args, **kwargs):
        threads.append(original(*args, **kwargs))
        return threads[-1]

    original = hello.send_email
    monkeypatch.setattr(hello, 'send_email', send_email)
    response = client.post('/', data={'name': 'Dave'}, follow_redirects=True)
    assert response.status_code == 200
    assert 'Pleased to meet you!' in pages.texts(response.get_data(as_text=True), 'p')
    assert [u.username for u in hello.User.query.all()] == ['Dave']
    [thread] = threads
    thread.join(timeout=20)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].name == hello.app.logger.name
    assert ADMIN in errors[0].getMessage()


@pytest.mark.checkpoints('6a', '7a')
def test_served_step_mails_the_admin_and_remembers_across_restarts(step, tmp_path, mailserver,
                                                                   serve, http):
    """The whole way, as `make run` does it: the database prepared by scripts/run, a served
    step, a browser, scripts/mailserver. Where the way the step starts changes, it is started
    exactly as the book does (debug reloader included) and restarted, and the name is still
    known; at a chapter's last step one start without the reloader is enough."""
    prepare_database(step, tmp_path)
    settings = {'MAIL_PORT': str(mailserver.port), 'FLASKY_ADMIN': ADMIN}
    restart = step in steplib.checkpoints('6a', chapter_ends=False)
    greetings = ['Pleased to meet you!', 'Happy to see you again!'][:2 if restart else 1]
    for greeting in greetings:
        server = serve(settings, reload=restart)
        browser = http(server.url)  # a new browser each time: no session cookie to help
        token = pages.hidden_value(browser.get('/').text)
        page = browser.post('/', {'name': 'Susan', 'csrf_token': token})
        assert pages.texts(page.text, 'h1') == ['Hello, Susan!'], server.output()
        assert greeting in pages.texts(page.text, 'p'), server.output()
        # from 6b a thread sends the mail: wait for it before the server stops
        [message] = mailserver.messages()
        server.stop()
    if restart:  # one mail, for the new name only
        assert len(mailserver.messages(count=2, timeout=1)) == 1
    # the learner sees the summary in the terminal
    assert message['To'] == ADMIN and 'Susan' in parts(message)[0]
    assert 'Susan' in mailserver.output()
