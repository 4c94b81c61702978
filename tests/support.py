"""Helpers for the step tests: isolated imports, real server processes, plain HTTP."""
import contextlib
import http.cookiejar
import importlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent / 'scripts'))
import steplib  # noqa: E402
from servers import free_port  # noqa: E402,F401  (scripts/servers.py: the tests use it too)

# Every step has modules with these names; a step's app must never see another step's.
STEP_MODULES = {'hello', 'app', 'config', 'manage', 'tests'}
STRICT = os.environ.get('FLASKY_STRICT') == '1'


def require(available, reason):
    """Skip when a component is missing; fail instead under FLASKY_STRICT=1 (CI)."""
    if available:
        return
    if STRICT:
        pytest.fail('{} (FLASKY_STRICT=1 turns this skip into a failure)'.format(reason))
    pytest.skip(reason)


def _purge_step_modules():
    for name in list(sys.modules):
        if name.split('.')[0] in STEP_MODULES:
            del sys.modules[name]


# The app package of each step, as imported by a test before, by (step folder, kind of
# password hashing): importing it again for each of a thousand tests would cost a tenth of
# a second each. config.py is always imported afresh, since it reads the environment.
_APP_PACKAGES = {}


@contextlib.contextmanager
def step_on_path(step, reuse=None):
    """Import a step's own modules (hello, app, config, ...) and forget them afterwards.

    With `reuse` (a key: what else the import depended on), the step's app package and its
    modules are kept after the test and given to the next test of the same step and key
    that imports them through the function this yields, with config.py imported afresh: the
    extensions and blueprints of the package are made for many applications (create_app),
    and each test makes its own. hello.py and manage.py make their application when
    imported, so they are never kept (and a package they import is imported afresh)."""
    _purge_step_modules()
    sys.path.insert(0, str(step.path))
    key = (str(step.path), reuse)

    def import_module(name):
        # the kept package comes back when the test first asks for it, with config.py as
        # the environment is at that moment (a test may have set a variable since it began)
        if name.split('.')[0] == 'app' and 'app' not in sys.modules and key in _APP_PACKAGES:
            config = importlib.import_module('config')
            sys.modules.update(_APP_PACKAGES[key])
            sys.modules['app'].config = config.config
        return importlib.import_module(name)

    try:
        yield import_module if reuse is not None else importlib.import_module
    finally:
        if reuse is not None and 'app' in sys.modules:
            _APP_PACKAGES[key] = {name: module for name, module in sys.modules.items()
                                  if name.split('.')[0] == 'app'}
        sys.path.remove(str(step.path))
        _purge_step_modules()


def make_testing_app(step, import_module):
    """The step's Flask application, configured for testing: create_app('testing') from 7a,
    hello.app before. `import_module` comes from step_on_path."""
    if (step.path / 'app' / '__init__.py').exists():
        application = import_module('app').create_app('testing')
    else:
        application = import_module('hello').app
    application.config.update(TESTING=True)
    return application


def step_env(tmp_path, **extra):
    """Environment for a step under test: its databases kept inside tmp_path, the testing
    configuration's in memory (each test makes and drops its tables: a third faster)."""
    database = 'sqlite:///{}'.format(tmp_path / 'data.sqlite')
    env = {'DATABASE_URL': database, 'DEV_DATABASE_URL': database,
           'TEST_DATABASE_URL': 'sqlite://',
           'PYTHONDONTWRITEBYTECODE': '1'}
    env.update(extra)
    return env


def process_env(tmp_path, **extra):
    """os.environ plus step_env: for a step started as a separate process."""
    return dict(os.environ, **step_env(tmp_path, **extra))


def with_subprocess_site(env, **settings):
    """env, with tests/subprocess_site (its sitecustomize) first on PYTHONPATH and the
    settings it reads (FLASKY_TEST_PORT, FLASKY_TEST_QUICK_HASH)."""
    return dict(env, **settings, PYTHONPATH=os.pathsep.join(
        filter(None, [str(TESTS / 'subprocess_site'), env.get('PYTHONPATH')])))


def run_in_step(step, tmp_path, *argv, env=None, input=None, cwd=None, timeout=300):
    """Run `python ARGV...` in the step's folder (or cwd), its databases kept in tmp_path."""
    return subprocess.run([sys.executable, *argv], cwd=cwd or step.path, input=input,
                          env=env or process_env(tmp_path), capture_output=True, text=True,
                          timeout=timeout)


def copy_with_a_failing_test(step, dest):
    """A copy of the step in `dest` whose own tests include one that fails
    (tests/test_broken.py, Broken.test_broken); returns dest."""
    steplib.copy_files(step.path, dest)
    (dest / 'tests' / 'test_broken.py').write_text(
        'import unittest\n\n\nclass Broken(unittest.TestCase):\n'
        '    def test_broken(self):\n        self.assertEqual(1, 2)\n')
    return dest


def own_test_cases(step, only=None, leave_out=()):
    """The test cases of the step's own unit tests (its tests/ folder), found as `manage.py
    test` finds them: all, or those of the modules named in `only`, less `leave_out`. The
    step's app must be importable (the step_module fixture)."""
    def cases(suite):
        for item in suite:
            yield from cases(item) if isinstance(item, unittest.TestSuite) else [item]

    found = unittest.TestLoader().discover(str(step.path / 'tests'),
                                           top_level_dir=str(step.path))
    return [case for case in cases(found)
            if (only is None or type(case).__module__.split('.')[-1] in only)
            and type(case).__module__.split('.')[-1] not in leave_out]


def run_own_tests(step, only=None, leave_out=()):
    """own_test_cases(), run in this process. Returns unittest's result, with what it
    printed in result.output."""
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=2).run(
        unittest.TestSuite(own_test_cases(step, only, leave_out)))
    result.output = stream.getvalue()
    return result


def prepare_database(step, tmp_path, env=None, seed=False):
    """`make run`'s preparation of the step's database (scripts/run STEP --prepare-only), its
    databases kept in tmp_path; fails the test if it fails. Returns the finished process.
    From 17a a new database is left empty (--no-seed) unless `seed`: the fake data takes
    seconds to make, and is tested on its own."""
    result = subprocess.run([sys.executable, str(steplib.ROOT / 'scripts' / 'run'), step.name,
                             '--prepare-only'] + ([] if seed else ['--no-seed']),
                            env=env or process_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def folder_state(folder):
    """Every file and folder under `folder` with its size and time of change: compare two to
    show that nothing was created, changed or removed (a learner's databases included)."""
    return {str(p.relative_to(folder)): (p.is_dir(), p.stat().st_size if p.is_file() else 0,
                                         p.stat().st_mtime_ns if p.is_file() else 0)
            for p in folder.rglob('*')}


@contextlib.contextmanager
def refused_port():
    """A port where connections are refused for as long as the block runs: bound, never
    listening, so no other test's server can take it meanwhile (a closed free_port() can)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        yield s.getsockname()[1]


class Server:
    """A step served by the book's command in its own folder, as a learner runs it."""

    def __init__(self, step, tmp_path, env=None, reload=True):
        self.step, self.tmp_path, self.reload = step, tmp_path, reload
        self.env = process_env(tmp_path, **(env or {}))
        self.process = None

    def start(self, timeout=20, tries=3):
        """Serve on a free port. Another test may take that port before the step binds it:
        the step then says so and exits, and it starts again on another port."""
        for attempt in range(tries):
            if self._start(timeout):
                return self
        raise AssertionError('no free port after {} tries:\n{}'.format(tries, self.output()))

    def _start(self, timeout):
        self.port = free_port()
        self.url = 'http://127.0.0.1:{}'.format(self.port)
        argv = self.step.serve_argv()
        env = dict(self.env)
        if argv[-1] == 'runserver':
            argv += ['--host', '127.0.0.1', '--port', str(self.port)]
            if not self.reload:  # the debug reloader imports the app again, in a child
                argv.append('--no-reload')
        else:  # `python hello.py`: app.run() has a fixed port, moved by sitecustomize
            env = with_subprocess_site(env, FLASKY_TEST_PORT=str(self.port))
        self.log = self.tmp_path / 'server-{}.log'.format(self.port)
        with open(self.log, 'wb') as log:
            # a session of its own, so that stop() also ends the debug reloader's child
            self.process = subprocess.Popen(argv, cwd=self.step.path, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        # Werkzeug says it runs once this process holds the port: a connection before that
        # could reach another test's server on the same port
        running = 'Running on {}'.format(self.url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if 'Address already in use' in self.output():
                    return False
                raise AssertionError('{} exited with {}:\n{}'.format(
                    ' '.join(argv), self.process.returncode, self.output()))
            if running in self.output():
                with socket.socket() as s:
                    if s.connect_ex(('127.0.0.1', self.port)) == 0:
                        return True
            time.sleep(0.05)
        self.stop()
        raise AssertionError('no server on port {} after {}s:\n{}'.format(
            self.port, timeout, self.output()))

    def output(self):
        return self.log.read_text(errors='replace')

    def stop(self):
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Response:
    def __init__(self, status, headers, body, url):
        self.status, self.headers, self.url = status, headers, url
        self.text = body.decode('utf-8', errors='replace')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _SecureCookiesToo(http.cookiejar.DefaultCookiePolicy):
    """The cookie policy of a browser whose HTTPS a proxy ends in front of the server: the
    Secure cookies go back over the proxy's plain HTTP too."""

    def return_ok_secure(self, cookie, request):
        return True


class HttpSession:
    """Plain HTTP with cookies, like a browser without JavaScript. behind_https: as if a
    proxy in front of the server spoke HTTPS with the browser (X-Forwarded-Proto: https,
    Secure cookies sent). base_url may change: the cookies go to any port of the host, as
    through a proxy that shares requests between servers."""

    def __init__(self, base_url, follow_redirects=True, behind_https=False):
        self.base_url = base_url
        policy = _SecureCookiesToo() if behind_https else None
        self.cookies = http.cookiejar.CookieJar(policy)
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if not follow_redirects:
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)
        self.headers = {'X-Forwarded-Proto': 'https'} if behind_https else {}

    def request(self, path, data=None, headers=None, body=None, method=None):
        """data: a form to POST; body: bytes to send as they are."""
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        headers = dict(self.headers, **(headers or {}))
        if self.headers:
            # over HTTPS Flask-WTF wants the page a form comes from, of the same site, as a
            # browser says it in Referer: here, the address posted to
            headers.setdefault('Referer', 'https://' + urllib.parse.urlsplit(
                self.base_url).netloc + path)
        request = urllib.request.Request(self.base_url + path, data=body, method=method,
                                         headers=headers)
        try:
            with self.opener.open(request, timeout=20) as r:
                return Response(r.status, r.headers, r.read(), r.url)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read(), error.url)

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)
