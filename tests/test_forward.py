"""scripts/forward: a fix made in one step, merged into the later ones. Always on a copy."""
import shutil

import pytest

from script_support import (assert_usage_error, commit_all, copy_project, git, run_script,
                            snapshot)
from support import steplib

# the copies end at 3a: forward has 2c and 3a to carry a fix from 2b into
LAST = '3a'
LATER = [s.name for s in steplib.between('2b', LAST)[1:]]
# 2b and 2c share this line; 2c's other changes (Flask-Script) are elsewhere in the file
LINE = "    return '<h1>Hello, {}!</h1>'.format(escape(name))\n"
FIXED = "    return '<h1>Hello, {}!</h1>'.format(escape(name))  # escaped: see 2b\n"


@pytest.fixture
def repo(tmp_path):
    """A committed copy of scripts/ and chapters/, for forward to work on."""
    return copy_project(tmp_path / 'repo', commit=True, last=LAST)


def forward(repo, *args):
    return run_script('forward', *args, root=repo)


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new))


def test_a_new_file_in_2b_reaches_every_later_step(repo):
    (repo / 'chapters' / '2b' / 'CREDITS.txt').write_text('thanks to the readers\n')
    result = forward(repo, '2b')
    assert result.returncode == 0, result.stdout + result.stderr
    for name in LATER:
        assert (repo / 'chapters' / name / 'CREDITS.txt').read_text() == 'thanks to the readers\n'
        assert '{}: applied (CREDITS.txt)'.format(name) in result.stdout.splitlines()
    assert not (repo / 'chapters' / '2a' / 'CREDITS.txt').exists()


def test_an_edit_in_2b_is_merged_into_2c(repo):
    chapters = repo / 'chapters'
    expected = (chapters / '2c' / 'hello.py').read_text().replace(LINE, FIXED)
    edit(chapters / '2b' / 'hello.py', LINE, FIXED)
    result = forward(repo, '2b', '--to', '2c')
    assert result.returncode == 0, result.stdout + result.stderr
    assert '2c: applied (hello.py)' in result.stdout.splitlines()
    assert (chapters / '2c' / 'hello.py').read_text() == expected
    changed = git(repo, 'status', '--porcelain').splitlines()
    assert changed == [' M chapters/2b/hello.py', ' M chapters/2c/hello.py']


def test_a_second_run_finds_the_change_already_present(repo):
    edit(repo / 'chapters' / '2b' / 'hello.py', LINE, FIXED)
    assert forward(repo, '2b', '--to', '2c').returncode == 0
    before = snapshot(repo / 'chapters')
    result = forward(repo, '2b', '--to', '2c')
    assert result.returncode == 0
    assert '2c: already present' in result.stdout.splitlines()
    assert snapshot(repo / 'chapters') == before


def test_a_deleted_file_is_deleted_later_too(tmp_path):
    repo = copy_project(tmp_path / 'repo', last=LAST)
    for name in ('2b', '2c'):
        (repo / 'chapters' / name / 'static').mkdir()
        (repo / 'chapters' / name / 'static' / 'old.txt').write_text('obsolete\n')
    commit_all(repo)
    (repo / 'chapters' / '2b' / 'static' / 'old.txt').unlink()
    result = forward(repo, '2b', '--to', '2c')
    assert result.returncode == 0, result.stdout + result.stderr
    assert '2c: applied (static/old.txt)' in result.stdout.splitlines()
    assert not (repo / 'chapters' / '2c' / 'static').exists()  # left empty, so gone too
    assert (repo / 'chapters' / '2c' / 'hello.py').exists()


def test_a_conflicting_step_is_reported_and_left_byte_identical(repo):
    chapters = repo / 'chapters'
    # 2c says it its own way, committed: the same line, changed differently in 2b
    edit(chapters / '2c' / 'hello.py', LINE, LINE.replace('Hello', 'Greetings'))
    git(repo, 'commit', '--quiet', '-am', '2c differs')
    edit(chapters / '2b' / 'hello.py', LINE, FIXED)
    (chapters / '2b' / 'CREDITS.txt').write_text('thanks\n')  # would merge cleanly on its own
    before = snapshot(chapters / '2c')
    result = forward(repo, '2b', '--to', '2c')
    assert result.returncode == 1
    out = result.stdout
    assert '2c: conflict, left unchanged' in out.splitlines()
    assert '    hello.py:' in out.splitlines()
    hunk = out[out.index('<<<<<<< 2c'):out.index('>>>>>>> 2b now')]
    assert "Greetings, {}!" in hunk and FIXED.strip() in hunk
    assert 'conflicts in 2c' in out
    assert snapshot(chapters / '2c') == before


def test_steps_after_a_conflict_still_get_the_fix(tmp_path):
    if '2c' not in LATER or len(LATER) < 2:
        pytest.skip('needs two steps after 2b')
    repo = copy_project(tmp_path / 'repo', last=LAST)
    third = repo / 'chapters' / LATER[1]
    (repo / 'chapters' / '2c' / 'NOTES.txt').write_text("2c's own notes\n")
    commit_all(repo)
    (repo / 'chapters' / '2b' / 'NOTES.txt').write_text('other notes\n')
    result = forward(repo, '2b', '--to', LATER[1])
    assert result.returncode == 1
    assert '2c: conflict, left unchanged' in result.stdout
    assert "2b adds it, but 2c already has a different one" in result.stdout
    assert (third / 'NOTES.txt').read_text() == 'other notes\n'


def test_dry_run_changes_nothing(repo):
    edit(repo / 'chapters' / '2b' / 'hello.py', LINE, FIXED)
    (repo / 'chapters' / '2b' / 'CREDITS.txt').write_text('thanks\n')
    before = snapshot(repo / 'chapters')
    result = forward(repo, '2b', '--dry-run')
    assert '2c: would apply (CREDITS.txt, hello.py)' in result.stdout.splitlines()
    assert snapshot(repo / 'chapters') == before


@pytest.mark.parametrize('args, named', [
    (('9z',), "unknown step '9z'"),
    (('2b', '--to', '9z'), "unknown step '9z'"),
    (('2b', '--to', '2a'), '--to 2a does not come after 2b'),
    (('2b',), 'no uncommitted change in chapters/2b'),
])
def test_usage_errors(repo, args, named):
    before = snapshot(repo / 'chapters')
    assert_usage_error(forward(repo, *args), named)
    assert snapshot(repo / 'chapters') == before


def test_outside_a_git_checkout_is_a_usage_error(tmp_path):
    repo = copy_project(tmp_path / 'plain', last=LAST)
    (repo / 'chapters' / '2b' / 'CREDITS.txt').write_text('thanks\n')
    assert_usage_error(forward(repo, '2b'), 'not in a git checkout')


def test_a_missing_step_folder_is_a_usage_error(repo):
    shutil.rmtree(repo / 'chapters' / '2b')
    assert_usage_error(forward(repo, '2b'), 'chapters/2b is missing')


def test_caches_and_databases_are_not_a_change(repo):
    (repo / 'chapters' / '2b' / 'data.sqlite').write_bytes(b'a database')
    (repo / 'chapters' / '2b' / '__pycache__').mkdir()
    (repo / 'chapters' / '2b' / '__pycache__' / 'hello.cpython-311.pyc').write_bytes(b'\0')
    assert_usage_error(forward(repo, '2b'), 'no uncommitted change')


def test_help():
    result = run_script('forward', '--help')
    assert result.returncode == 0 and 'usage: scripts/forward' in result.stdout
