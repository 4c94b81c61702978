"""scripts/history: a git repository with a commit and a tag per step, as the book's readers use.

It runs on a copy of scripts/ and chapters/ taken once per module, so that a step another
author adds to the checkout meanwhile cannot make the expectations and the build disagree.
"""
import hashlib
import shutil
import tomllib
from pathlib import Path

import pytest

from script_support import (assert_usage_error, copy_project, git, load_script, run_script,
                            snapshot)
from support import steplib

PAIRS = list(zip(steplib.names(), steplib.names()[1:]))


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp('project') / 'copy')


@pytest.fixture(scope='module')
def steps(project):
    return steps_in(project)


def steps_in(project):
    """A copy's steps, as (Step, its folder in the copy)."""
    with open(project / 'chapters' / 'steps.toml', 'rb') as f:
        entries = tomllib.load(f)['step']
    return [(steplib.Step(**e), project / 'chapters' / e['name']) for e in entries]


def build(project, folder, *args):
    result = run_script('history', folder, *args, root=project)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope='module')
def history(project, tmp_path_factory):
    return build(project, tmp_path_factory.mktemp('history') / 'repo')


def tag_ids(repo, steps):
    return git(repo, 'rev-parse', *(step.name for step, _ in steps)).split()


def test_one_commit_and_one_tag_per_step_in_order(history, steps):
    assert sorted(git(history, 'tag').split()) == sorted(step.name for step, _ in steps)
    messages = git(history, 'log', '--reverse', '--format=%s').splitlines()
    assert messages == ['Chapter {}: {} ({})'.format(s.chapter, s.title, s.name)
                        for s, _ in steps]
    commits = git(history, 'log', '--reverse', '--format=%H').split()
    assert commits == tag_ids(history, steps)
    oneline = git(history, 'log', '--oneline').splitlines()
    assert len(oneline) == len(steps) and oneline[0].endswith('({})'.format(steps[-1][0].name))


def test_each_tag_holds_exactly_its_step(history, steps):
    for step, folder in steps:
        tree = {}
        for line in git(history, 'ls-tree', '-r', step.name).splitlines():
            info, name = line.split('\t', 1)
            tree[name] = info.split()[2]
        # in git's order, byte by byte: requirements.txt before requirements/common.txt
        names = sorted(str(f) for f in steplib.files(folder))
        assert sorted(tree) == names, step
        assert [tree[n] for n in names] == [blob_id(folder / n) for n in names], step


def blob_id(path):
    """The id git gives a file's content."""
    data = path.read_bytes()
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


def diff_lines(text, sign):
    return [line for line in text.splitlines()
            if line.startswith(sign) and not line.startswith(sign * 3)]


def test_git_diff_2a_2b_shows_what_scripts_diff_shows(project, history):
    ours = run_script('diff', '2a', '2b', root=project).stdout
    theirs = git(history, 'diff', '2a', '2b')
    assert diff_lines(theirs, '+') and diff_lines(theirs, '+') == diff_lines(ours, '+')
    assert diff_lines(theirs, '-') == diff_lines(ours, '-')


@pytest.mark.parametrize('old, new', PAIRS, ids=['{}-{}'.format(*pair) for pair in PAIRS])
def test_every_neighbouring_git_diff_touches_the_files_scripts_diff_does(project, history,
                                                                          old, new):
    # scripts/diff's own comparison, in-process (its output is compared with git's in full
    # for 2a-2b above): a process for each of 57 pairs would cost seconds
    chapters = project / 'chapters'
    touched = {str(name) for change in load_script('diff').changes(chapters / old, chapters / new)
               for name in (change.old, change.new) if name is not None}
    theirs = git(history, 'diff', '--name-only', '--no-renames', old, new)
    assert set(theirs.split()) == touched and touched


def step_files(folder):
    return {f: (folder / f).read_bytes() for f in steplib.files(folder)}


def test_a_checkout_gives_the_steps_folder_and_stays_clean(project, steps, tmp_path):
    repo = build(project, tmp_path / 'repo')
    assert step_files(repo) == step_files(steps[-1][1])  # the newest step, checked out
    git(repo, 'checkout', '--quiet', '2a')
    assert step_files(repo) == step_files(project / 'chapters' / '2a')
    # what running a step leaves behind is not part of it: git status stays quiet
    (repo / 'data.sqlite').write_bytes(b'a learner database')
    (repo / '__pycache__').mkdir()
    (repo / '__pycache__' / 'hello.cpython-311.pyc').write_bytes(b'cache')
    (repo / '.coverage').write_bytes(b'coverage data')
    assert git(repo, 'status', '--porcelain') == ''
    git(repo, 'checkout', '--quiet', '2b')
    assert step_files(repo) == step_files(project / 'chapters' / '2b')


def test_two_builds_give_the_same_commit_ids(project, history, steps, tmp_path):
    again = build(project, tmp_path / 'again')
    assert tag_ids(again, steps) == tag_ids(history, steps)
    log = ['log', '--format=%H %an <%ae> %ad']
    assert git(again, *log) == git(history, *log)


def test_an_existing_folder_is_refused_unless_forced(project, steps, tmp_path):
    folder = tmp_path / 'mine'
    folder.mkdir()
    (folder / 'notes.txt').write_text('my notes')
    assert_usage_error(run_script('history', folder, root=project), str(folder), 'not empty')
    assert snapshot(folder) == {Path('notes.txt'): b'my notes'}
    build(project, folder, '--force')
    assert not (folder / 'notes.txt').exists()
    assert sorted(git(folder, 'tag').split()) == sorted(step.name for step, _ in steps)


def test_an_empty_folder_is_used(project, tmp_path):
    (tmp_path / 'empty').mkdir()
    assert git(build(project, tmp_path / 'empty'), 'tag').split()


def test_never_writes_inside_chapters(tmp_path):
    copy = copy_project(tmp_path / 'copy', last='3a')
    before = snapshot(copy / 'chapters')
    for target, extra in ((copy / 'chapters' / 'history', ()), (copy / 'chapters', ('--force',)),
                          (copy, ('--force',))):
        result = run_script('history', target, *extra, root=copy)
        assert_usage_error(result, 'chapters/')
    assert snapshot(copy / 'chapters') == before


def test_a_step_folder_missing_is_a_usage_error(tmp_path):
    copy = copy_project(tmp_path / 'copy', last='3a')
    shutil.rmtree(copy / 'chapters' / '2b')
    assert_usage_error(run_script('history', tmp_path / 'out', root=copy), 'chapters/2b is missing')
    assert not (tmp_path / 'out').exists()


def test_default_folder_is_build_history(tmp_path):
    copy = copy_project(tmp_path / 'copy', last='3a')
    result = run_script('history', root=copy, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert git(copy / 'build' / 'history', 'tag').split() == sorted(
        step.name for step, _ in steps_in(copy))
    assert 'build/history' in result.stdout


def test_help():
    result = run_script('history', '--help')
    assert result.returncode == 0 and 'usage: scripts/history' in result.stdout
