"""Chapter 17: deployment. The deploy command (17a), the production configuration's error
mail (17b), a platform's configuration (17c) and a Unix server's (17d). The walk on a real
PostgreSQL under gunicorn is in test_deployment.py."""
import importlib
import logging
import re
import sqlite3
from logging.handlers import SMTPHandler

import flask
import pytest
import werkzeug.security

import depends
from accounts import add_user, login
from script_support import run_script
from support import prepare_database, process_env, run_in_step, steplib

DEPLOY = ('manage.py#deploy', 'app/models.py#Role.insert_roles',
          'app/models.py#User.add_self_follows', 'migrations/') + depends.MANAGER


def rows(database, sql, *parameters):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, parameters).fetchall()


# 17a: the deploy command ---------------------------------------------------------------------

@pytest.mark.steps('17a', touching=DEPLOY)
def test_deploy_makes_a_new_database_and_can_run_again(step, tmp_path):
    database = tmp_path / 'data.sqlite'  # DEV_DATABASE_URL of process_env
    env = process_env(tmp_path)
    first = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env)
    assert first.returncode == 0, first.stderr
    assert 'Running upgrade' in first.stderr  # Alembic's log: every migration, in order
    heads = rows(database, 'SELECT version_num FROM alembic_version')
    roles = rows(database, 'SELECT name, permissions, "default" FROM roles ORDER BY id')
    assert [name for name, _, _ in roles] == ['User', 'Moderator', 'Administrator']
    # a user of before 12e, who does not follow themselves, one who does, and a role changed
    # by hand: the second run mends what is missing and leaves the rest as it is
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO users (id, email, username, confirmed) "
                           "VALUES (1, 'old@example.com', 'old', 1), "
                           "(2, 'new@example.com', 'new', 1)")
        connection.execute('INSERT INTO follows (follower_id, followed_id) VALUES (2, 2)')
        connection.execute("UPDATE roles SET permissions = 0 WHERE name = 'Moderator'")
    second = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env)
    assert second.returncode == 0, second.stderr
    assert 'Running upgrade' not in second.stderr  # nothing left to upgrade
    assert rows(database, 'SELECT version_num FROM alembic_version') == heads
    assert rows(database, 'SELECT name, permissions, "default" FROM roles ORDER BY id') == roles
    assert rows(database, 'SELECT follower_id, followed_id FROM follows ORDER BY 1') == [
        (1, 1), (2, 2)]


# the newest step, which `make run` serves; from 17a to there preparing is the same code
# (scripts/run, scripts/seed), and the deploy command has its test above
@pytest.mark.steps(steplib.newest().name)
def test_make_run_gives_a_new_database_fake_data_and_an_administrator(step, tmp_path):
    said = prepare_database(step, tmp_path, seed=True).stdout
    assert 'manage.py deploy' in said and 'scripts/seed' in said
    database = tmp_path / 'data.sqlite'
    counts = {table: rows(database, 'SELECT count(*) FROM ' + table)[0][0]
              for table in ('users', 'posts', 'follows', 'comments')}
    assert counts['users'] == 21 and counts['posts'] == 100 and counts['comments'] == 200
    assert counts['follows'] == 21 * 6  # five others and oneself
    login = re.search(r'sign in as (\S+) with the password (\S+) ', said)
    assert login, said
    [(password_hash, role)] = rows(
        database, 'SELECT password_hash, roles.name FROM users JOIN roles '
        'ON roles.id = users.role_id WHERE email = ?', login[1])
    assert role == 'Administrator'
    assert werkzeug.security.check_password_hash(password_hash, login[2])
    # the next `make run` keeps the database as it is: nothing seeded a second time (the
    # rest of the preparation keeping data is test_chapter05's)
    again = run_script('seed', step.name, '--if-empty', env=process_env(tmp_path))
    assert again.returncode == 0 and 'kept as it is' in again.stdout, again.stderr
    assert rows(database, 'SELECT count(*) FROM posts') == [(100,)]


# 17b on: the production configurations ------------------------------------------------------

PRODUCTION = ('config.py#Config', 'config.py#ProductionConfig', 'config.py#config',
              'app/__init__.py', 'app/main/errors.py', 'app/templates/500.html')
SECRET = 'a secret of this test, not the development one'


@pytest.fixture
def production(step_module, monkeypatch):
    """make(config_name, VARIABLE=value, ...): the step's create_app(config_name) with a real
    SECRET_KEY and those variables set (the step_module fixture puts back the logger that
    the configurations add their handlers to)."""
    monkeypatch.setenv('SECRET_KEY', SECRET)

    def make(config_name='production', **environment):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        # config.py reads the environment when imported: again, for these variables
        package = step_module('app')
        package.config = importlib.reload(step_module('config')).config
        return package.create_app(config_name)

    return make


def a_failing_view(application):
    @application.route('/fails')
    def fails():
        return 1 / 0
    return application


@pytest.mark.steps('17b', touching=PRODUCTION)
def test_production_mails_the_traceback_of_an_error_to_the_administrator(production,
                                                                         mailserver):
    application = a_failing_view(production(
        FLASKY_ADMIN='admin@example.com', MAIL_PORT=str(mailserver.port),
        # the mail server takes any login: the handler logs in when a user is set
        MAIL_USERNAME='flasky', MAIL_PASSWORD='mail password'))
    response = application.test_client().get('/fails')
    assert response.status_code == 500
    assert 'ZeroDivisionError' not in response.get_data(True)  # the visitor sees no traceback
    [message] = mailserver.messages()
    assert message['To'] == 'admin@example.com'
    assert message['Subject'] == '[Flasky] Application Error'
    assert 'flasky@example.com' in message['From']
    text = message.get_content()
    assert 'Exception on /fails [GET]' in text
    assert 'Traceback (most recent call last)' in text and 'ZeroDivisionError' in text
    # a page that works sends nothing
    assert application.test_client().get('/auth/login').status_code == 200
    assert len(mailserver.messages(count=2, timeout=0.5)) == 1


@pytest.mark.steps('17b', touching=PRODUCTION)
def test_the_error_mail_uses_tls_only_with_credentials_and_needs_an_administrator(production):
    def mail_handlers(application):
        return [h for h in application.logger.handlers if isinstance(h, SMTPHandler)]

    assert mail_handlers(production()) == []  # no FLASKY_ADMIN: nobody to mail
    [handler] = mail_handlers(production(FLASKY_ADMIN='admin@example.com',
                                         MAIL_USERNAME='flasky', MAIL_PASSWORD='pw',
                                         MAIL_USE_TLS='true', MAIL_SERVER='smtp.example.com',
                                         MAIL_PORT='587'))
    assert (handler.mailhost, handler.mailport) == ('smtp.example.com', 587)
    assert (handler.username, handler.password, handler.secure) == ('flasky', 'pw', ())
    assert handler.level == logging.ERROR


@pytest.mark.steps('17b', touching=PRODUCTION)
def test_production_refuses_the_development_secret_key(production, monkeypatch):
    monkeypatch.delenv('SECRET_KEY')
    with pytest.raises(RuntimeError, match='SECRET_KEY is not set'):
        production()
    monkeypatch.setenv('SECRET_KEY', '')
    with pytest.raises(RuntimeError, match='SECRET_KEY is not set'):
        production()


@pytest.mark.steps('17b', touching=PRODUCTION + depends.AUTH)
def test_production_cookies_are_secure_and_http_only(production, step_module):
    application = production()
    application.config['WTF_CSRF_ENABLED'] = False
    db = application.extensions['sqlalchemy']
    with application.app_context():
        db.create_all()
        try:
            add_user(step_module('app.models'), db)
            response = login(application.test_client(), remember=True)
            assert response.status_code == 302
            cookies = {header.split('=')[0]: header
                       for header in response.headers.getlist('Set-Cookie')}
            assert {'session', 'remember_token'} <= set(cookies)
            for name in ('session', 'remember_token'):
                assert '; Secure' in cookies[name] and '; HttpOnly' in cookies[name], cookies
        finally:
            db.session.remove()
            db.drop_all()


# 17c on: a platform's configuration ---------------------------------------------------------

PLATFORM = PRODUCTION + ('config.py#HerokuConfig', 'config.py#database_url')


@pytest.mark.steps('17c', touching=PLATFORM)
def test_a_platforms_database_url_is_taken_as_it_is_handed_out(step_module):
    database_url = step_module('config').database_url
    assert database_url('postgres://u:p@db.example.com:5432/d') == \
        'postgresql+psycopg://u:p@db.example.com:5432/d'
    assert database_url('postgresql://u@h/d') == 'postgresql+psycopg://u@h/d'
    for kept in ('postgresql+psycopg://u@h/d', 'sqlite:////tmp/x.sqlite', None):
        assert database_url(kept) == kept


@pytest.mark.steps('17c', touching=PLATFORM)
def test_the_platform_logs_each_error_once_on_stderr(production, capsys):
    # the handler writes to the stderr of when it was made: pytest's, here
    application = a_failing_view(production('heroku'))
    application.route('/whoami')(lambda: '{} {}'.format(
        flask.request.remote_addr, flask.request.scheme))
    client = application.test_client()
    assert client.get('/fails', headers={'X-Forwarded-Proto': 'https'}).status_code == 500
    logged = capsys.readouterr().err
    assert logged.count('Exception on /fails [GET]') == 1, logged
    assert 'ZeroDivisionError' in logged
    # behind the platform's router: its word on the browser's address and scheme
    answer = client.get('/whoami', headers={'X-Forwarded-For': '203.0.113.9',
                                            'X-Forwarded-Proto': 'https'})
    assert answer.get_data(True) == '203.0.113.9 https'


# 17d: a Unix server's configuration ----------------------------------------------------------

@pytest.mark.steps('17d', touching=PRODUCTION + ('config.py#UnixConfig',))
def test_the_unix_configuration_logs_warnings_and_errors_to_syslog(production, monkeypatch):
    # a syslog daemon of the test's own: a UDP socket, where the handler is pointed
    import logging.handlers
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(('127.0.0.1', 0))
        daemon.settimeout(10)
        made = []

        class ToTheTestDaemon(logging.handlers.SysLogHandler):
            def __init__(self, address):
                made.append(address)  # the system's socket, or UDP to port 514
                super().__init__(address=daemon.getsockname())

        monkeypatch.setattr(logging.handlers, 'SysLogHandler', ToTheTestDaemon)
        application = a_failing_view(production('unix'))
        assert made in (['/dev/log'], [('localhost', 514)])
        assert application.test_client().get('/fails').status_code == 500
        record = daemon.recv(65536).decode()
    # <11>: facility user (1 * 8), severity error (3); then the program's name
    assert record.startswith('<11>flasky: Exception on /fails [GET]'), record
    assert 'ZeroDivisionError' in record


@pytest.mark.steps('17d', touching=('manage.py', '.env'))
def test_manage_py_reads_a_dotenv_file_beside_it_and_keeps_what_is_set(step, tmp_path):
    folder = tmp_path / 'flasky'
    steplib.copy_files(step.path, folder)
    (folder / '.env').write_text('# the settings of this server\n'
                                 'FLASKY_ADMIN=from-dotenv@example.com\n'
                                 'FLASK_CONFIG=production\nSECRET_KEY=from dotenv\n')
    (tmp_path / '.env').write_text('SECRET_KEY=from the current folder\n')
    shell = 'print(app.config["FLASKY_ADMIN"], app.config["SECRET_KEY"], app.debug)\n'
    env = process_env(tmp_path)
    env.pop('SECRET_KEY', None)
    env.pop('FLASK_CONFIG', None)
    # a variable of the environment wins over the file
    env['FLASKY_ADMIN'] = 'from-environment@example.com'
    # run from elsewhere: the .env beside manage.py counts, not one in the current folder
    result = run_in_step(step, tmp_path, str(folder / 'manage.py'), 'shell', input=shell,
                         env=env, cwd=tmp_path)
    assert 'from-environment@example.com from dotenv False' in result.stdout, result.stderr


@pytest.mark.steps('17c', touching=PLATFORM + ('app/__init__.py#redirect_to_https',))
def test_plain_http_goes_to_https_unless_ssl_is_disabled_for_a_local_run(production,
                                                                          monkeypatch):
    response = production('heroku').test_client().get('/auth/login?next=%2F')
    assert response.status_code == 301
    assert response.headers['Location'] == 'https://localhost/auth/login?next=/'
    # `SSL_DISABLE=1 heroku local`: the platform's configuration on a machine with no HTTPS
    response = production('heroku', SSL_DISABLE='1').test_client().get('/auth/login')
    assert response.status_code == 200
    assert 'Strict-Transport-Security' not in response.headers
