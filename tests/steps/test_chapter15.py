"""Chapter 15: the step's own tests grow (the test client, the API, a browser) and measure
their coverage."""
import re

import pytest

import fixtures_browser
from support import (copy_with_a_failing_test, own_test_cases, process_env, run_in_step,
                     run_own_tests, with_subprocess_site)


def own_test_names(step, module):
    """The test methods of one of the step's own test modules (tests/<module>.py)."""
    return {case.id().rsplit('.', 1)[-1] for case in own_test_cases(step, only=(module,))}


# 15a: `python manage.py test --coverage` ---------------------------------------------------

@pytest.mark.checkpoints('15a', chapter_ends=False, starts=False,
                         touching=('manage.py#test', 'manage.py#COV'))
def test_coverage_is_measured_from_the_first_import_and_reported(step, tmp_path):
    # a copy, with a failing test: the report is still printed, and the status says it failed
    copy = copy_with_a_failing_test(step, tmp_path / 'copy')
    env = with_subprocess_site(process_env(tmp_path), FLASKY_TEST_QUICK_HASH='1')
    result = run_in_step(step, tmp_path, 'manage.py', 'test', '--coverage', cwd=copy, env=env)
    output = result.stdout + result.stderr
    # the step's own tests all pass through the command: the one failure is the added test
    assert result.returncode == 1 and 'FAILED (failures=1)' in result.stderr, output
    assert 'test_broken (test_broken.Broken.test_broken) ... FAIL' in result.stderr, output
    report = dict(re.findall(r'^(app/\S+\.py|TOTAL)\s.*?(\d+)%$', result.stdout, flags=re.M))
    assert report, output
    # measured from the first import: what runs only on import (a class and its docstring,
    # the app factory's module) counts as run
    assert report['app/exceptions.py'] == '100' and report['app/__init__.py'] == '100'
    assert set(report) >= {'app/models.py', 'app/main/views.py', 'TOTAL'}
    assert 0 < int(report['TOTAL']) < 100
    html = copy / 'tmp' / 'coverage' / 'index.html'
    assert 'HTML version: file://{}'.format(html) in result.stdout and html.is_file()
    # a page per file, linked from the index
    [models_page] = re.findall(r'href="(\w+_models_py\.html)"', html.read_text())[:1]
    assert (html.parent / models_page).is_file()


# 15b: the test client ----------------------------------------------------------------------

@pytest.mark.steps('15b', touching=('tests/test_client.py', 'config.py#TestingConfig'))
def test_the_test_client_tests_are_the_books_and_post_forms_without_tokens(step, step_module):
    # they pass wherever they change: test_chapter07's run of the step's own tests
    step_module('app')
    assert {'test_home_page', 'test_register_and_login'} <= own_test_names(step, 'test_client')
    config = step_module('config')
    assert config.TestingConfig.WTF_CSRF_ENABLED is False
    # only the tests go without: the served configurations keep Flask-WTF's default (on)
    for name in ('development', 'production'):
        assert getattr(config.config[name], 'WTF_CSRF_ENABLED', True) is True


# 15c: the API through the test client -------------------------------------------------------

@pytest.mark.steps('15c', touching=('tests/test_api.py',))
def test_the_api_tests_cover_what_the_api_promises(step, step_module):
    step_module('app')
    assert own_test_names(step, 'test_api') >= {
        'test_404', 'test_no_auth', 'test_bad_auth', 'test_token_auth',
        'test_expired_and_foreign_tokens', 'test_anonymous', 'test_unconfirmed_account',
        'test_posts', 'test_users', 'test_comments'}


# 15d: a real browser ------------------------------------------------------------------------

# what the browser test goes through: the pages of logging in and the profile, and the data
BROWSER_WALK = ('tests/test_selenium.py', 'config.py#TestingConfig', 'requirements/dev.txt',
                'app/templates/base.html', 'app/templates/index.html',
                'app/templates/user.html', 'app/templates/auth/login.html',
                'app/auth/views.py#login', 'app/auth/forms.py#LoginForm',
                'app/main/views.py#index', 'app/main/views.py#user',
                'app/models.py#User.generate_fake', 'app/models.py#Post.generate_fake')


@pytest.mark.steps('15d', touching=BROWSER_WALK)
def test_the_browser_test_logs_in_and_opens_the_profile(step, step_module):
    fixtures_browser.require_chromium()
    step_module('app')
    result = run_own_tests(step, only=('test_selenium',))
    assert result.wasSuccessful(), result.output
    # skipped would mean no browser ran: in CI (FLASKY_STRICT) that fails here
    assert result.skipped == [] and result.testsRun == 1, result.output
