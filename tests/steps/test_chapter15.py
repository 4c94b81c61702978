"""Chapter 15: the step's own tests grow (the test client, the API, a browser) and measure
their coverage."""
import re

import pytest

from support import run_in_step, steplib

# 15a: `python manage.py test --coverage` ---------------------------------------------------

BROKEN_TEST = ('import unittest\n\n\nclass Broken(unittest.TestCase):\n'
               '    def test_broken(self):\n        self.assertEqual(1, 2)\n')


@pytest.mark.checkpoints('15a', chapter_ends=False, starts=False,
                         touching=('manage.py#test', 'manage.py#COV'))
def test_coverage_is_measured_from_the_first_import_and_reported(step, tmp_path):
    # a copy, with a failing test: the report is still printed, and the status says it failed
    copy = tmp_path / 'copy'
    steplib.copy_files(step.path, copy)
    (copy / 'tests' / 'test_broken.py').write_text(BROKEN_TEST)
    result = run_in_step(step, tmp_path, 'manage.py', 'test', '--coverage', cwd=copy)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and 'FAILED (failures=1)' in result.stderr, output
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
