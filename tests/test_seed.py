"""scripts/seed: fake data for a step's database (what `make run` gives a new database from
17a on, and what scripts/bench measures on). Its use by `make run` is tested in
steps/test_chapter17.py."""
from script_support import assert_usage_error, run_script
from support import process_env, run_in_step, steplib

FIRST_SEEDED = '13a'  # the first step with comments


def test_help_says_what_it_makes():
    result = run_script('seed', '--help')
    assert result.returncode == 0 and '--if-empty' in result.stdout


def test_bad_input_gets_one_line_and_exit_status_2(tmp_path):
    env = process_env(tmp_path)  # a development database that does not exist yet
    assert_usage_error(run_script('seed', '9z'), "unknown step '9z'")
    assert_usage_error(run_script('seed', '12a'), 'no comments yet', FIRST_SEEDED)
    result = run_script('seed', '--users', '-1')
    assert result.returncode == 2 and 'must be 0 or more' in result.stderr
    result = run_script('seed', '--posts', 'many')
    assert result.returncode == 2 and "invalid count value: 'many'" in result.stderr
    # a step of before the deploy command (17a), its database not prepared, then with its
    # tables but not its roles
    missing = run_script('seed', '16b', env=env)
    assert_usage_error(missing, 'the database has no tables', 'deploy')
    assert run_in_step(steplib.find('16b'), tmp_path, 'manage.py', 'db', 'upgrade',
                       env=env).returncode == 0
    assert_usage_error(run_script('seed', '16b', env=env), 'the database has no roles')

