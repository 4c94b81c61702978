"""scripts/check: a learner's own folder tested against a step's promises."""
import re
import resource
import time

import pytest

from script_support import assert_usage_error, run_script, snapshot
from support import steplib


def check(*args):
    return run_script('check', *args, timeout=300)


def copy_of(step_name, folder, old=None, new=None, file=None):
    """A learner's copy of a step, with `old` replaced by `new` in its script (or `file`)."""
    step = steplib.find(step_name)
    steplib.copy_files(step.path, folder)
    if old is not None:
        script = folder / (file or step.script)
        assert old in script.read_text()
        script.write_text(script.read_text().replace(old, new))
    return folder


def lines(result, mark):
    return [line.split(None, 1)[1] for line in result.stdout.splitlines()
            if line.startswith('  ' + mark)]


def summary_line(result):
    return result.stdout.strip().splitlines()[-1]


def test_a_correct_copy_passes_in_full_and_is_not_written_to(tmp_path):
    mine = copy_of('5b', tmp_path / 'mine')
    (mine / 'data.sqlite').write_bytes(b'the learner\'s own data')
    before = snapshot(mine)
    started, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = check('5b', mine)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Checking {} against step 5b'.format(mine) in result.stdout
    kept = lines(result, 'passed')
    assert {'user route escapes the name', 'names survive a server restart',
            'book command serves the pages'} <= set(kept)  # in-process and checkpoints
    assert lines(result, 'FAILED') == []
    assert re.fullmatch(r'{0} of {0} promises kept \(\d+\.\d s\)\.'.format(len(kept)),
                        summary_line(result))
    assert snapshot(mine) == before and not list(mine.rglob('__pycache__'))
    print('scripts/check 5b: {:.1f} s, {:.1f} s of CPU'.format(seconds, cpu_seconds))
    # under 20 s on an idle 2-core machine (the closing notes give the figure); the suite's
    # other worker shares the machine here, so the work it takes is what is held to that
    assert cpu_seconds < 20 and seconds < 60, result.stdout


# quick, on a manage.py step (a hello.py step, 5b, is checked in full above); 7a's promises,
# unlike the newest step's, do not grow with the chapters
@pytest.mark.parametrize('name, file, old, new, broken', [
    ('7a', 'app/main/views.py', 'db.session.commit()', 'pass', 'new name is stored then known'),
])
def test_a_copy_with_a_mistake_fails_and_names_the_promise(tmp_path, name, file, old, new,
                                                           broken):
    mine = copy_of(name, tmp_path / 'mine', old, new, file)
    result = check(name, mine, '--quick')
    assert 'Checking {} against step {}'.format(mine, name) in result.stdout
    assert 'book command serves the pages' not in lines(result, 'passed')  # quick: no server
    assert result.returncode == 1, result.stdout + result.stderr
    failed = lines(result, 'FAILED')
    assert broken in failed, result.stdout
    reason = result.stdout.split('FAILED  ' + broken + '\n', 1)[1].splitlines()[0]
    assert reason.startswith(' ' * 11) and reason.strip(), 'no reason given'
    assert re.fullmatch(r'\d+ of \d+ promises kept, {} broken \(\d+\.\d s\)\.'.format(
        len(failed)), summary_line(result))


def test_bad_input_gets_one_line_and_status_2(tmp_path):
    assert_usage_error(check('9z'), "unknown step '9z'")
    assert_usage_error(check('5a', tmp_path / 'nowhere'), 'no such folder')
    (tmp_path / 'empty').mkdir()
    (tmp_path / 'empty' / 'notes.txt').write_text('no script here')
    assert_usage_error(check('5a', tmp_path / 'empty'), 'neither hello.py nor manage.py')
