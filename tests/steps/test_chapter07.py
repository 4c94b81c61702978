"""Chapter 7: the package layout, configurations, the application factory, blueprints,
manage.py and the step's own unit tests."""
import logging
import sys
import threading

import pytest

import depends
from support import (copy_with_a_failing_test, folder_state, process_env, require,
                     run_in_step, run_own_tests, steplib, with_subprocess_site)

ADMIN = 'admin@example.com'
CONFIG_DATABASES = [('development', 'DEV_DATABASE_URL', 'data-dev.sqlite'),
                    ('testing', 'TEST_DATABASE_URL', 'data-test.sqlite'),
                    ('production', 'DATABASE_URL', 'data.sqlite')]


def run_manage(step, tmp_path, *argv):
    """Python in the step's folder, under manage.py's default configuration."""
    env = process_env(tmp_path)
    env.pop('FLASK_CONFIG', None)
    return run_in_step(step, tmp_path, *argv, env=env)


# configurations ---------------------------------------------------------------------------

@pytest.mark.steps('7a', touching=depends.STARTUP)
@pytest.mark.parametrize('name, variable, default_file', CONFIG_DATABASES)
def test_each_configuration_has_its_own_database(step, step_module, monkeypatch, tmp_path,
                                                 name, variable, default_file):
    # the classes read the environment when config.py is imported: import it again each time
    monkeypatch.setenv(variable, 'sqlite:///{}'.format(tmp_path / 'chosen.sqlite'))
    config = step_module('config').config
    assert config[name].SQLALCHEMY_DATABASE_URI == 'sqlite:///{}'.format(
        tmp_path / 'chosen.sqlite')
    monkeypatch.delenv(variable)
    del sys.modules['config']  # forget the import above
    before = folder_state(step.path)  # `make run` may have left a database: it stays as is
    config = step_module('config').config
    assert config[name].SQLALCHEMY_DATABASE_URI == 'sqlite:///{}'.format(
        step.path / default_file)
    assert folder_state(step.path) == before  # importing creates no database


@pytest.mark.steps('7a', touching=depends.STARTUP)
def test_config_names_and_default(step_module):
    config = step_module('config').config
    assert config['default'] is config['development']
    assert config['development'].DEBUG and config['testing'].TESTING
    assert not getattr(config['production'], 'DEBUG', False)
    assert not getattr(config['production'], 'TESTING', False)


# from 17b the production configuration refuses to start without a key of its own
PRODUCTION_SECRET = 'a production secret of the tests'


@pytest.mark.steps('7a', touching=depends.STARTUP)
def test_mail_settings_come_from_the_environment(step_module, monkeypatch):
    monkeypatch.setenv('SECRET_KEY', PRODUCTION_SECRET)
    monkeypatch.setenv('MAIL_PORT', '587')
    monkeypatch.setenv('MAIL_USE_TLS', 'true')
    monkeypatch.setenv('FLASKY_ADMIN', ADMIN)
    app = step_module('app').create_app('production')
    assert (app.config['MAIL_PORT'], app.config['MAIL_USE_TLS']) == (587, True)
    assert app.config['FLASKY_ADMIN'] == ADMIN
    assert app.extensions['mail'].port == 587


@pytest.mark.steps('7a', touching=depends.STARTUP)
@pytest.mark.parametrize('name', ['development', 'production'])
def test_flask_config_chooses_the_configuration_of_manage_py(step_module, monkeypatch, name):
    monkeypatch.setenv('FLASK_CONFIG', name)
    monkeypatch.setenv('SECRET_KEY', PRODUCTION_SECRET)
    app = step_module('manage').app
    assert app.config['DEBUG'] is (name == 'development')


@pytest.mark.steps('7a', touching=depends.STARTUP)
def test_without_flask_config_manage_py_develops(step_module, monkeypatch):
    monkeypatch.delenv('FLASK_CONFIG', raising=False)
    assert step_module('manage').app.config['DEBUG'] is True


# the application factory and the blueprint ----------------------------------------------

@pytest.mark.steps('7a', touching=depends.STARTUP)
def test_create_app_makes_independent_applications(step_module, monkeypatch):
    monkeypatch.setenv('SECRET_KEY', PRODUCTION_SECRET)
    create_app = step_module('app').create_app
    first, second = create_app('testing'), create_app('production')
    assert first is not second
    assert first.config['TESTING'] and not second.config['TESTING']
    for app in (first, second):  # the extensions are bound to each application
        assert {'sqlalchemy', 'mail', 'bootstrap'} <= set(app.extensions)


@pytest.mark.steps('7a', touching=depends.PAGES)
def test_views_live_in_the_main_blueprint(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {'main.index', 'main.user'} <= endpoints
    assert 'index' not in endpoints
    assert 'main' in app.blueprints


@pytest.mark.steps('7a', '8b')
def test_index_redirects_to_the_blueprint_index(client, db):
    response = client.post('/', data={'name': 'Dave'})
    assert response.status_code == 302 and response.headers['Location'] == '/'


# email through the factory's app ---------------------------------------------------------

@pytest.fixture
def development_app(step_module):
    """The app as `python manage.py runserver` makes it: development config, mail sent."""
    def make():
        app = step_module('app').create_app('development')
        app.config.update(WTF_CSRF_ENABLED=False)
        with app.app_context():
            app.extensions['sqlalchemy'].create_all()
        return app
    return make


@pytest.mark.steps('7a', '7a')
def test_new_name_mails_the_admin_from_a_thread(step_module, development_app, mailserver,
                                                monkeypatch):
    monkeypatch.setenv('MAIL_PORT', str(mailserver.port))
    monkeypatch.setenv('FLASKY_ADMIN', ADMIN)
    app = development_app()
    email = step_module('app.email')
    User = step_module('app.models').User
    with app.test_request_context():
        thread = email.send_email(ADMIN, 'New User', 'mail/new_user', user=User(username='Zed'))
    assert isinstance(thread, threading.Thread)
    thread.join(timeout=20)
    [message] = mailserver.messages(timeout=0)
    assert message['To'] == ADMIN and message['Subject'] == '[Flasky] New User'
    assert 'Zed' in message.get_body(('plain',)).get_content()


@pytest.mark.steps('7a', '7a')
def test_dead_mail_server_is_logged_and_the_page_works(dead_mail_port, step_module,
                                                       development_app, monkeypatch, caplog):
    monkeypatch.setenv('FLASKY_ADMIN', ADMIN)
    app = development_app()
    views = step_module('app.main.views')
    threads = []
    original = views.send_email
    monkeypatch.setattr(views, 'send_email',
                        lambda *a, **k: threads.append(original(*a, **k)) or threads[-1])
    response = app.test_client().post('/', data={'name': 'Dave'}, follow_redirects=True)
    assert response.status_code == 200 and 'Pleased to meet you!' in response.get_data(True)
    [thread] = threads
    thread.join(timeout=20)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and ADMIN in errors[0].getMessage()


# manage.py test: the step's own unit tests ------------------------------------------------

@pytest.mark.steps('7a', touching=depends.OWN_TESTS)
def test_the_steps_own_tests_pass(step, step_module):
    """In-process on every step, as `manage.py test` runs them: unittest's discovery.
    The browser test of 15d runs where what it uses changes (test_chapter15)."""
    step_module('app')  # puts the step on sys.path, and forgets its modules afterwards
    result = run_own_tests(step, leave_out=('test_selenium',))
    assert result.testsRun >= 2
    assert result.wasSuccessful(), result.output
    require(not result.skipped, 'skipped: {}'.format(result.skipped))


# the in-process test above runs them wherever they or what they test change; the command,
# where it changes (how the step is served or its database prepared does not matter here).
# From 15a, test_chapter15 runs them through `manage.py test --coverage` where it changes.
@pytest.mark.checkpoints('7a', '14a', chapter_ends=False, starts=False,
                         touching=('manage.py#test',))
def test_manage_py_test_runs_the_steps_own_tests(step, tmp_path):
    before = folder_state(step.path)
    result = run_manage(step, tmp_path, 'manage.py', 'test')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'OK' in result.stderr.splitlines()
    ran = [line for line in result.stderr.splitlines() if line.startswith('Ran ')]
    assert ran and int(ran[0].split()[1]) >= 2
    assert folder_state(step.path) == before  # the test database went to TEST_DATABASE_URL


# pytest collects them as well: where they begin, and at 15d, which holds the tests of
# chapter 15 (the test client's, the API's; a browser's runs in test_chapter15); manage.py's
# test command, which pytest does not use, does not matter here
@pytest.mark.checkpoints('7a', chapter_ends=False, starts=False,
                         touching=('tests/test_selenium.py',))
def test_the_steps_own_tests_pass_under_pytest(step, tmp_path):
    # with the cheap hashing of the in-process run: `manage.py test` above keeps scrypt
    env = with_subprocess_site(process_env(tmp_path), FLASKY_TEST_QUICK_HASH='1')
    env.pop('FLASK_CONFIG', None)
    # the browser test has its own run, under unittest (test_chapter15): not again here
    result = run_in_step(step, tmp_path, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                         '-p', 'no:xdist', '--ignore=tests/test_selenium.py', 'tests',
                         env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ' passed' in result.stdout and 'failed' not in result.stdout


@pytest.mark.steps('7a', '7a')
def test_manage_py_test_fails_when_a_test_fails(step, tmp_path):
    copy = copy_with_a_failing_test(step, tmp_path / 'copy')
    result = run_in_step(step, tmp_path, 'manage.py', 'test', cwd=copy)
    assert result.returncode == 1
    assert 'FAILED (failures=1)' in result.stderr


def requirement_lines(path):
    return [line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.startswith('#')]


@pytest.mark.steps('7a', touching=('requirements.txt', 'requirements/'))
def test_step_requirements_are_pinned_as_the_repository(step):
    """requirements.txt, or from 11c the book's requirements/ folder (common.txt for the
    application, dev.txt adding what a developer needs): every pin as in the repository's."""
    pins = {}
    for line in requirement_lines(steplib.ROOT / 'requirements.txt'):
        name, version = line.split('==')
        pins[name.lower()] = version
    # from 17c requirements.txt is also there, for the platform: it names requirements/prod.txt
    files = sorted((step.path / 'requirements').glob('*.txt')) + [
        path for path in [step.path / 'requirements.txt'] if path.exists()]
    for path in files:
        lines = requirement_lines(path)
        assert lines, path
        for line in lines:
            if line.startswith('-r '):  # another file of the folder, which must exist
                assert (path.parent / line[3:]).is_file(), (path, line)
                continue
            name, _, version = line.partition('==')
            assert pins.get(name.lower()) == version, (path, line)
    if len(files) > 1:
        dev = requirement_lines(step.path / 'requirements' / 'dev.txt')
        assert '-r common.txt' in dev and any(line.startswith('Faker==') for line in dev)
        assert not any(line.startswith('Faker') for line in
                       requirement_lines(step.path / 'requirements' / 'common.txt'))
    prod = step.path / 'requirements' / 'prod.txt'
    if prod.exists():  # 17c on: a WSGI server and psycopg 3, no development tools
        names = {line.partition('==')[0] for line in requirement_lines(prod)}
        assert {'-r common.txt', 'gunicorn', 'psycopg', 'psycopg-binary'} == names
        assert requirement_lines(step.path / 'requirements.txt') == ['-r requirements/prod.txt']
