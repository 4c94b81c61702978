"""Fixtures shared by every test.

A test that takes the `step` fixture runs once per step; `@pytest.mark.steps('2b')` limits it
to the steps from 2b on, `@pytest.mark.steps('2b', '6b')` to 2b-6b. Steps not written yet are
left out, so a test written for a range keeps covering the steps added later.
"""
import sys

import pytest

from support import HttpSession, Server, step_env, step_on_path, steplib

# Step modules are imported into the test processes (step_module): their bytecode caches must
# not appear in chapters/ while a notebook test watches a step folder.
sys.dont_write_bytecode = True

# fixtures kept in modules of their own
pytest_plugins = ['fixtures_mail', 'fixtures_browser']


def pytest_generate_tests(metafunc):
    if 'step' not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker('steps')
    chosen = steplib.between(*marker.args) if marker else steplib.steps()
    metafunc.parametrize('step', chosen, ids=[s.name for s in chosen])


@pytest.fixture
def step_module(step, tmp_path, monkeypatch):
    """Import a module of the step under test (default: its script), in isolation."""
    for name, value in step_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    with step_on_path(step) as import_module:
        yield import_module


@pytest.fixture
def app(step, step_module):
    """The step's Flask application, configured for testing."""
    if (step.path / 'app' / '__init__.py').exists():
        application = step_module('app').create_app('testing')
    else:
        application = step_module('hello').app
    application.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """The step's Flask-SQLAlchemy object, with empty tables inside an app context."""
    database = app.extensions['sqlalchemy']
    with app.app_context():
        database.create_all()
        yield database
        database.session.remove()
        database.drop_all()


@pytest.fixture
def serve(step, tmp_path):
    """Start the step with the book's command; returns the running Server (stopped after)."""
    servers = []

    def start(env=None):
        server = Server(step, tmp_path, env).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http():
    """An HttpSession factory: http(server.url)."""
    return HttpSession
