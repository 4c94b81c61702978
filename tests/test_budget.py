"""scripts/budget: the suite timed with stand-ins for the steps not written yet."""
import filecmp
import re
import subprocess
import sys
import tomllib

from script_support import assert_usage_error, load_script, run_script
from support import require, steplib

budget = load_script('budget')


def test_help_says_what_it_measures():
    result = run_script('budget', '--help')
    assert result.returncode == 0
    assert 'stand-in' in result.stdout and '--fresh' in result.stdout


def test_prepare_only_adds_a_stand_in_for_every_missing_step(tmp_path):
    require(budget.SPEC.is_file(), '{} is missing'.format(budget.SPEC))
    result = run_script('budget', '--prepare-only', tmp_path / 'b')
    assert result.returncode == 0, result.stderr
    main = tmp_path / 'b' / 'main'
    with open(main / 'chapters' / 'steps.toml', 'rb') as f:
        listed = [entry['name'] for entry in tomllib.load(f)['step']]
    assert listed == budget.spec_names() and len(listed) == 58
    assert sorted(p.name for p in (main / 'chapters').iterdir() if p.is_dir()) == sorted(listed)
    newest = steplib.newest()
    missing = listed[len(steplib.names()):]
    assert '{} stand-in steps added'.format(len(missing)) in result.stdout
    for name in missing:  # each a copy of the newest step, and a file that says what it is
        copy = main / 'chapters' / name
        assert [str(f) for f in steplib.files(copy)] == sorted(
            [str(f) for f in steplib.files(newest.path)] + ['STAND-IN.txt'])
        assert all(filecmp.cmp(newest.path / f, copy / f, shallow=False)
                   for f in steplib.files(newest.path))
        assert (copy / 'STAND-IN.txt').read_text() == 'a stand-in for step {}\n'.format(name)
    if missing:
        readme = (main / 'README.md').read_text()
        assert '| {} | 17 Deployment | Stand-in (a copy of {}) |'.format(
            listed[-1], newest.name) in readme
    # the copy's own tools see all 58, and it is a repository of its own
    assert (tmp_path / 'b' / 'shared' / 'steps.md').is_file()
    names = subprocess.run([sys.executable, '-c', 'import sys; sys.path.insert(0, "scripts"); '
                            'import steplib; print(len(steplib.names()))'], cwd=main,
                           capture_output=True, text=True, check=True).stdout
    assert names.strip() == '58'
    assert subprocess.run(['git', 'status', '--porcelain'], cwd=main, capture_output=True,
                          text=True, check=True).stdout == ''


def test_a_folder_in_use_is_refused(tmp_path):
    (tmp_path / 'taken').mkdir()
    (tmp_path / 'taken' / 'file').write_text('mine')
    assert_usage_error(run_script('budget', '--prepare-only', tmp_path / 'taken'), 'not empty')


def test_report_gives_seconds_tests_and_the_slowest(capsys):
    output = ('....\n==== slowest 10 durations ====\n'
              '9.01s call     tests/steps/test_a.py::test_x[17d]\n'
              '2.00s call     tests/test_b.py::test_y\n\n'
              'FAILED tests/test_notes.py::test_z[8] - no notes\n'
              '1 failed, 2100 passed in 150.20s (0:02:30)\n')
    result = subprocess.CompletedProcess([], 1, output, '')
    status = budget.report(result, 161.5, ['8a', '17d'], fresh=False)
    printed = capsys.readouterr().out
    assert status == 0  # within budget; the failure is listed, not hidden
    assert 'seconds: 161.5 (budget 180 s: within)' in printed
    assert 'pytest: 1 failed, 2100 passed in 150.20s (0:02:30)' in printed
    assert re.search(r'^  9.01s call +tests/steps/test_a.py::test_x\[17d\]$', printed, re.M)
    assert 'failed (1):\n  tests/test_notes.py::test_z[8]' in printed
    assert budget.report(result, 181, ['8a'], fresh=False) == 1
    assert 'OVER' in capsys.readouterr().out
