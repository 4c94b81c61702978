"""scripts/bench: a step served by gunicorn, measured. One small real run on SQLite; the
figures of a full run are in the README and chapter 16's notes."""
import re

from script_support import assert_usage_error, run_script
from support import steplib


def test_help_explains_the_columns():
    result = run_script('bench', '--help')
    assert result.returncode == 0
    for column in ('statements', 'median, p95', 'req/s', 'x floor'):
        assert column in result.stdout


def test_bad_input_gets_a_clear_message_and_exit_status_2():
    assert_usage_error(run_script('bench', '9z'), "unknown step '9z'")
    assert_usage_error(run_script('bench', '12e'), 'no comments yet', 'from 13a')
    for option, value in (('--sizes', '10,0'), ('--requests', 'many'),
                          ('--databases', 'sqlite,mysql')):
        result = run_script('bench', option, value)
        assert result.returncode == 2 and 'invalid' in result.stderr, result.stderr
        assert 'Traceback' not in result.stderr


def test_a_small_run_prints_one_row_a_page_and_size_with_the_same_statements():
    result = run_script('bench', '--databases', 'sqlite', '--users', '5', '--posts', '30',
                        '--comments', '30', '--requests', '4', '--sizes', '10,50',
                        timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines()
            if line.startswith('sqlite ')]
    pages = [row[1] for row in rows]
    assert pages[0] == '/bench-hello' and rows[0][3:5] == ['-', '0']
    assert [page.split('/')[1] for page in pages[1:]] == ['', '', 'user', 'user', 'post',
                                                          'post', 'api', 'api']
    measured = [row for row in rows[1:]]
    for small, large in zip(measured[0::2], measured[1::2]):
        assert (small[1], small[2], large[2]) == (large[1], '10', '50')
        # from 16a a page sends as many statements at 50 a page as at 10
        assert small[3] == large[3] and int(small[3]) >= 2, rows
        assert float(small[4]) > 0 and float(small[6]) > 0
    assert re.search(r'^Step {} '.format(steplib.newest().name), result.stdout, re.M)
