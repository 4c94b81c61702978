"""Fixtures shared by every test.

A test that takes the `step` fixture runs once per step:
- `@pytest.mark.steps('2b')`: on every step from 2b on; `@pytest.mark.steps('2b', '6b')`:
  on 2b-6b. For what the test client, an import or a call can check in-process.
- `@pytest.mark.steps('8c', touching=depends.AUTH)`: on 8c, on every later step whose changes
  touch one of those paths (what the test depends on), and on the range's last step (the
  newest, if the range is open).
- `@pytest.mark.checkpoints('5b')`: only where a behaviour is worth the whole way with real
  processes (a served step, a command, a mail server): the step that introduces it, each
  step that changes how the step is started or served, and each chapter's last step
  (`chapter_ends=False` and `starts=False` leave those out; `touching=('manage.py',)` adds
  the steps that change that file). See steplib.checkpoints and tests/README.md.
Steps not written yet are left out, so a test written for a range keeps covering the steps
added later. Every promise is checked on every step where it holds, in-process; the
checkpoints add the real processes without multiplying them by 58 steps.

FLASKY_STEPS="5a 7a" in the environment keeps only those steps' tests (and every test that
takes no step). scripts/check sets FLASKY_STEP_DIR too: the one step of FLASKY_STEPS is then
tested in that folder (a learner's copy) instead of chapters/, with every test that holds
for it, checkpoints included. FLASKY_QUICK=1 (`scripts/check --quick`) leaves out the
checkpoints and the tests that serve the step or drive a browser.
"""
import logging
import os
import sys
import tempfile

import jinja2
import pytest
import werkzeug.security

from support import HttpSession, Server, make_testing_app, step_env, step_on_path, steplib

# Step modules are imported into the test processes again for every test (step_module): their
# bytecode goes to a folder of its own, never into chapters/ (a notebook test watches a step
# folder), and is compiled once rather than at every import.
sys.pycache_prefix = os.path.join(tempfile.gettempdir(), 'flasky-tests-bytecode')
# ... even where the environment says PYTHONDONTWRITEBYTECODE=1 (as the steps' processes
# have it): the test modules, rewritten by pytest for its asserts, are then compiled once
# for every pytest process of the run (the workers, scripts/check's) instead of in each
sys.dont_write_bytecode = False

# fixtures kept in modules of their own
pytest_plugins = ['fixtures_mail', 'fixtures_browser', 'accounts']

ONLY = os.environ.get('FLASKY_STEPS', '').split()
CHECKED_FOLDER = os.environ.get('FLASKY_STEP_DIR')
QUICK = os.environ.get('FLASKY_QUICK') == '1'


def pytest_generate_tests(metafunc):
    if 'step' not in metafunc.fixturenames:
        return
    steps = metafunc.definition.get_closest_marker('steps')
    checkpoints = metafunc.definition.get_closest_marker('checkpoints')
    if steps and checkpoints:
        raise pytest.UsageError('{}: mark steps or checkpoints, not both'.format(
            metafunc.definition.nodeid))
    if checkpoints and not CHECKED_FOLDER:
        chosen = steplib.checkpoints(*checkpoints.args, **checkpoints.kwargs)
    elif steps and 'touching' in steps.kwargs and not CHECKED_FOLDER:
        # the first step, the steps that change what the test depends on, the range's last
        chosen = steplib.checkpoints(*steps.args, chapter_ends=False, starts=False,
                                     touching=steps.kwargs['touching'])
        last = steplib.between(*steps.args)[-1:]
        chosen += [s for s in last if s not in chosen]
    else:
        marker = steps or checkpoints
        chosen = steplib.between(*marker.args) if marker else steplib.steps()
    if CHECKED_FOLDER:
        chosen = [s.at(CHECKED_FOLDER) for s in chosen if s.name in ONLY]
    metafunc.parametrize('step', chosen, ids=[s.name for s in chosen])


def pytest_configure(config):
    for name in ONLY:
        try:
            steplib.find(name)
        except steplib.UsageError as error:  # stop the run, naming the valid steps
            raise pytest.UsageError('FLASKY_STEPS: {}'.format(error)) from None
    if CHECKED_FOLDER and len(ONLY) != 1:
        raise pytest.UsageError('FLASKY_STEP_DIR needs one step in FLASKY_STEPS')


def starts_processes(item):
    return bool(item.get_closest_marker('checkpoints')
                or {'serve', 'browser'} & set(item.fixturenames))


def left_out(item):
    step = getattr(item, 'callspec', None) and item.callspec.params.get('step')
    if ONLY and (step.name not in ONLY if step else CHECKED_FOLDER):
        return True  # another step's test; or, checking a learner's folder, no step's test
    return QUICK and starts_processes(item)


# The longest tests, to start first: on two workers, a long test that starts last leaves the
# other worker idle at the end (tests/README.md, the budget).
LONGEST_FIRST = ('test_learner_files.py', 'test_deployment.py', 'test_check.py',
                 'test_notebooks.py')


def start_order(item):
    module = item.path.name
    if module in LONGEST_FIRST:
        return LONGEST_FIRST.index(module)
    return len(LONGEST_FIRST) + (0 if starts_processes(item) else 1)


def pytest_collection_modifyitems(config, items):
    items.sort(key=start_order)  # stable: the order within each kind stays as collected
    if not ONLY and not QUICK:
        return
    keep = [item for item in items if not left_out(item)]
    drop = [item for item in items if left_out(item)]
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates shared by the apps a worker makes: each test makes a new app, whose
    Jinja2 environment would compile the same templates again. Keyed by name and checked
    against the template's source, so a step's own templates are always the ones used."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()


def quick_password_hash(password, method='pbkdf2:sha256:1000', salt_length=16):
    """werkzeug's generate_password_hash with a cheap default: scrypt takes 0.15 s a hash on
    the project's machine, and a test that runs on 50 steps may hash a dozen passwords. The
    hash keeps its real format, salt and verification; tests marked real_hashing (and every
    test in a process of its own) keep werkzeug's default."""
    return REAL_PASSWORD_HASH(password, method=method, salt_length=salt_length)


REAL_PASSWORD_HASH = werkzeug.security.generate_password_hash


@pytest.fixture
def step_module(step, tmp_path, monkeypatch, request):
    """Import a module of the step under test (default: its script), in isolation."""
    for name, value in step_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    real_hashing = bool(request.node.get_closest_marker('real_hashing'))
    if not real_hashing:
        # before the step's models import it: they hold the function they imported
        monkeypatch.setattr(werkzeug.security, 'generate_password_hash', quick_password_hash)
    # the logger of every application of the step's package (app.logger is 'app'), where
    # the production configurations (17b on) add handlers: put back as it was after
    logger = logging.getLogger('app')
    handlers, level = list(logger.handlers), logger.level
    # the step's app package is kept for the next test (of the same kind of hashing)
    with step_on_path(step, reuse=('real hashing' if real_hashing else 'quick hashing')) \
            as import_module:
        yield import_module
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:], logger.level = handlers, level


# The testing application of a step's app package (from 7a), kept by the worker for the
# step's next test: create_app() registers every route again, which takes 45 ms by 15d, and
# a worker makes over a thousand. A test gets the kept application only when config.py,
# imported afresh for it, gives the testing configuration the same settings (a variable the
# test set before may change them), and with the settings the last test changed put back. A
# test that adds routes is marked fresh_app: it gets an application of its own, never kept.
_KEPT_APPS = {}


def testing_settings(package):
    testing = package.config['testing']
    return {name: getattr(testing, name) for name in dir(testing) if name.isupper()}


def new_testing_app(step, step_module):
    application = make_testing_app(step, step_module)
    application.config.update(WTF_CSRF_ENABLED=False)
    application.jinja_env.bytecode_cache = TEMPLATES
    return application


@pytest.fixture
def app(step, step_module, request):
    """The step's Flask application, configured for testing, CSRF protection off."""
    if not (step.path / 'app' / '__init__.py').exists() \
            or request.node.get_closest_marker('fresh_app'):
        return new_testing_app(step, step_module)
    package = step_module('app')
    settings = testing_settings(package)
    key = (str(step.path), id(package))
    kept = _KEPT_APPS.get(key)
    if kept is None or kept['package'] is not package or kept['settings'] != settings:
        application = new_testing_app(step, step_module)
        kept = _KEPT_APPS[key] = dict(package=package, settings=settings, app=application,
                                      config=dict(application.config))
    kept['app'].config.clear()
    kept['app'].config.update(kept['config'])
    return kept['app']


@pytest.fixture
def client(app, request):
    # a step with a database serves its pages from tables (from 11a the index lists posts),
    # as `make run` prepares them: the test client gets them too
    if 'sqlalchemy' in app.extensions:
        request.getfixturevalue('db')
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
    """Start the step with the book's command; returns the running Server (stopped after).
    serve(reload=False) adds --no-reload to `runserver`: half the time to start."""
    servers = []

    def start(env=None, reload=True):
        server = Server(step, tmp_path, env, reload).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http():
    """An HttpSession factory: http(server.url)."""
    return HttpSession
