"""scripts/start: a learner's own copy of a step, and how to run and compare it."""
import shlex

import pytest

from script_support import assert_usage_error, copy_project, run_script, snapshot
from support import steplib


def start(*args, **kwargs):
    return run_script('start', *args, **kwargs)


# what scripts/start prints depends on how the step is started: its serve and database
@pytest.mark.checkpoints('1a', chapter_ends=False)
def test_copies_the_step_and_says_how_to_run_it(step, tmp_path):
    mine = tmp_path / 'my copy'
    result = start(step.name, mine, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert snapshot(mine) == {f: (step.path / f).read_bytes() for f in steplib.files(step.path)}
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert any(line.startswith('source {}'.format(steplib.ROOT / '.venv' / 'bin' / 'activate'))
               for line in lines)
    assert lines.index("cd 'my copy'") < next(
        i for i, line in enumerate(lines) if line.startswith(step.serve + '   #'))
    assert 'scripts/diff {} {}'.format(step.name, shlex.quote(str(mine))) in lines


def test_the_printed_diff_command_shows_the_learners_changes(tmp_path):
    mine = tmp_path / 'mine'
    result = start('2b', mine)
    command = next(line for line in result.stdout.splitlines() if 'scripts/diff' in line)
    assert run_script('diff', *shlex.split(command)[1:]).stdout == ''
    (mine / 'hello.py').write_text((mine / 'hello.py').read_text().replace('Hello,', 'Hi,'))
    diff = run_script('diff', *shlex.split(command)[1:]).stdout
    assert "+    return '<h1>Hi, {}!</h1>'" in diff


def test_leaves_out_caches_and_databases(tmp_path):
    copy = copy_project(tmp_path / 'copy', last='3a')
    step = copy / 'chapters' / '2b'
    (step / 'data.sqlite').write_bytes(b'a database')
    (step / '__pycache__').mkdir()
    (step / '__pycache__' / 'hello.cpython-311.pyc').write_bytes(b'\0cache')
    result = start('2b', tmp_path / 'mine', root=copy)
    assert result.returncode == 0, result.stderr
    assert sorted(snapshot(tmp_path / 'mine')) == [p for p in steplib.files(step)]
    assert '1 file.' in result.stdout


def test_an_empty_folder_is_fine(tmp_path):
    (tmp_path / 'empty').mkdir()
    assert start('2a', tmp_path / 'empty').returncode == 0
    assert (tmp_path / 'empty' / 'hello.py').exists()


def test_a_database_step_says_how_to_prepare_it(tmp_path):
    copy = copy_project(tmp_path / 'copy', last='3a')
    toml = copy / 'chapters' / 'steps.toml'
    # as the book prepares its databases: db.create_all() in 5a-5c, `db upgrade` from 5d
    for name, how in (('2b', 'create_all'), ('2c', 'upgrade')):
        text = toml.read_text()
        toml.write_text(text.replace('name = "{}"\n'.format(name),
                                     'name = "{}"\ndatabase = "{}"\n'.format(name, how)))
    lines = start('2b', tmp_path / 'b', root=copy).stdout.splitlines()
    prepare = lines.index('  python hello.py shell          # then, once: >>> db.create_all()')
    assert prepare < lines.index('  python hello.py   # then open http://127.0.0.1:5000/')
    lines = start('2c', tmp_path / 'c', root=copy).stdout.splitlines()
    prepare = next(i for i, line in enumerate(lines)
                   if line.startswith('  python hello.py db upgrade'))
    assert prepare < lines.index('  python hello.py runserver   # then open http://127.0.0.1:5000/')


def test_a_step_with_roles_says_to_insert_them(tmp_path):
    lines = start('9a', tmp_path / 'roles').stdout.splitlines()
    upgrade = next(i for i, line in enumerate(lines)
                   if line.startswith('  python manage.py db upgrade'))
    roles = lines.index('  python manage.py shell          # then: >>> Role.insert_roles()')
    assert upgrade < roles < lines.index(
        '  python manage.py runserver   # then open http://127.0.0.1:5000/')


def test_refuses_a_folder_that_holds_something(tmp_path):
    mine = tmp_path / 'mine'
    mine.mkdir()
    (mine / 'hello.py').write_text('my own work\n')
    assert_usage_error(start('2b', mine), 'not empty')
    assert snapshot(mine) == {mine.joinpath('hello.py').relative_to(mine): b'my own work\n'}


def test_bad_arguments(tmp_path):
    assert_usage_error(start('9z', tmp_path / 'x'), "unknown step '9z'")
    (tmp_path / 'file').write_text('')
    assert_usage_error(start('2b', tmp_path / 'file'), 'not a folder')
    copy = copy_project(tmp_path / 'copy', last='3a')
    assert_usage_error(start('2b', copy / 'chapters' / 'mine', root=copy), 'chapters/')
    assert not (copy / 'chapters' / 'mine').exists()


def test_help():
    result = start('--help')
    assert result.returncode == 0 and 'usage: scripts/start' in result.stdout
