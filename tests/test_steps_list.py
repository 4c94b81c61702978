"""chapters/steps.toml is the one list of steps: it must match the folders and the spec."""
import re
from types import SimpleNamespace

import pytest

import conftest
from support import steplib

SPEC = steplib.ROOT.parent / 'shared' / 'steps.md'


def test_every_folder_has_an_entry_and_every_entry_a_folder():
    folders = {p.name for p in steplib.CHAPTERS.iterdir() if p.is_dir()}
    assert folders == set(steplib.names())


def test_names_are_unique_and_in_book_order():
    names = steplib.names()
    assert len(names) == len(set(names))
    assert names == sorted(names, key=lambda n: (int(n[:-1]), n[-1]))


def test_chapters_match_the_names_and_have_titles():
    titles = steplib.chapter_titles()
    for step in steplib.steps():
        assert step.chapter == int(step.name[:-1])
        assert step.chapter in titles and step.title


def test_serve_command_is_the_books_for_the_chapter():
    for step in steplib.steps():
        if step.chapter <= 2 and step.name in ('1a', '2a', '2b'):
            assert step.serve == 'python hello.py'
        elif step.chapter <= 6:
            assert step.serve == 'python hello.py runserver'
        else:
            assert step.serve == 'python manage.py runserver'
        assert (step.path / step.script).is_file()


def test_database_preparation_matches_the_step():
    for step in steplib.steps():
        assert step.database in ('', 'create_all', 'upgrade', 'upgrade+roles', 'deploy'), step
        has_migrations = (step.path / 'migrations').is_dir()
        assert step.database.startswith(('upgrade', 'deploy')) == has_migrations, step
        # the roles exist from the step whose models define them (9a), and are inserted by
        # the deploy command from the step that has it (17a)
        has_roles = 'def insert_roles' in (step.path / 'app' / 'models.py').read_text() \
            if (step.path / 'app' / 'models.py').exists() else False
        has_deploy = 'def deploy' in (step.path / step.script).read_text()
        assert (step.database == 'upgrade+roles') == (has_roles and not has_deploy), step
        assert (step.database == 'deploy') == has_deploy, step


def test_step_names_are_those_of_the_specification():
    if not SPEC.exists():  # shared/ sits beside the clone in CI and in the sessions
        return
    spec_names = re.findall(r'^- \*\*(\d+[a-z])\*\*', SPEC.read_text(), flags=re.M)
    assert len(spec_names) == 58
    assert steplib.names() == spec_names[:len(steplib.names())]


def test_unknown_step_names_the_closest_ones():
    try:
        steplib.find('2d')
    except steplib.UsageError as error:
        assert "'2d'" in str(error) and '2c' in str(error)
    else:
        raise AssertionError('2d was accepted')


def test_between_includes_both_ends_and_tolerates_unwritten_steps():
    assert [s.name for s in steplib.between('2a', '2c')] == ['2a', '2b', '2c']
    assert steplib.between('99a') == []
    assert steplib.between('1a', '99z') == steplib.steps()


def test_checkpoints_are_where_a_behaviour_begins_changes_how_it_starts_or_a_chapter_ends():
    def names(*args, **kwargs):
        return [s.name for s in steplib.checkpoints(*args, **kwargs)]

    everything = steplib.steps()
    for first in ('2a', '5b', '7a'):
        chosen = names(first)
        assert chosen[0] == first and chosen[-1] == everything[-1].name
        for step in steplib.between(first):
            chapter_end = step == [s for s in everything if s.chapter == step.chapter][-1]
            if chapter_end:
                assert step.name in chosen
        for old, new in zip(everything, everything[1:]):
            starts_differently = (old.serve, old.database, old.mail) != (new.serve, new.database,
                                                                         new.mail)
            if starts_differently and new in steplib.between(first):
                assert new.name in chosen, new
    # the steps these rules pick in chapters 2 to 5 (2c: Flask-Script, 5a, 5d: a database)
    assert names('2a', '5d') == ['2a', '2c', '3e', '4c', '5a', '5d']
    assert names('2a', '5d', chapter_ends=False) == ['2a', '2c', '5a', '5d']
    # only some of the ways a step starts: 6a adds mail, 7a serves with manage.py
    assert names('5d', '7a', chapter_ends=False) == ['5d', '6a', '7a']
    assert names('5d', '7a', chapter_ends=False, starts=('serve', 'database')) == ['5d', '7a']
    assert names('5d', '7a', chapter_ends=False, starts=('mail',)) == ['5d', '6a']
    assert names('4b', '4c') == ['4b', '4c']
    assert names('5d', '6b', chapter_ends=False, touching=('migrations/',)) == ['5d', '6a']
    assert names('3b', '3d', chapter_ends=False, touching=('static/',)) == ['3b', '3d']
    assert names('5c', '7a', chapter_ends=False, starts=False, touching=('manage.py',)) == [
        '5c', '7a']
    assert names('99a') == []
    # a function or class of a file: 9a changes manage.py's shell context, not its db command
    assert names('7a', '9a', chapter_ends=False, starts=False,
                 touching=('manage.py#MigrateCommand',)) == ['7a']
    assert names('7a', '9a', chapter_ends=False, starts=False,
                 touching=('manage.py#make_shell_context',)) == ['7a', '9a']
    assert names('8a', '9a', chapter_ends=False, starts=False,
                 touching=('app/models.py#User',)) == ['8a', '8c', '8e', '8g', '8h', '9a']
    # a member of a class: 8e adds User.confirm, 11a User.posts; a property is one member
    # with its setter, and the later changes to User leave these as they were
    for member, chosen in (('User.confirm', ['8a', '8e']), ('User.posts', ['8a', '11a']),
                           ('User.password', ['8a']), ('User.no_such_member', ['8a'])):
        assert names('8a', '11b', chapter_ends=False, starts=False,
                     touching=('app/models.py#' + member,)) == chosen, member
    models = steplib.find('8a').path / 'app' / 'models.py'
    password = steplib.definition(models, 'User.password')
    assert 'property' in password and 'password.setter' in password
    assert steplib.definition(models, 'User.password_hash').startswith('password_hash = ')
    assert steplib.definition(models, 'Role.password') is None


class FakeMetafunc:
    """What conftest.pytest_generate_tests reads of pytest's metafunc for a test function."""

    def __init__(self, **markers):
        self.fixturenames = ['step']
        self.markers = {name: SimpleNamespace(args=args, kwargs=kwargs)
                        for name, (args, kwargs) in markers.items()}
        self.definition = self
        self.nodeid = 'test_x.py::test_x'
        self.parametrized = None

    def get_closest_marker(self, name):
        return self.markers.get(name)

    def parametrize(self, name, values, ids):
        self.parametrized = ids


def test_markers_choose_the_steps_a_test_runs_on():
    metafunc = FakeMetafunc(checkpoints=(('2a', '5d'), {'chapter_ends': False}))
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.parametrized == ['2a', '2c', '5a', '5d']
    # touching: the first step, those that change the paths, the range's last
    metafunc = FakeMetafunc(steps=(('8a', '8h'), {'touching': ('app/templates/base.html',)}))
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.parametrized == ['8a', '8c', '8f', '8h']
    metafunc = FakeMetafunc(steps=(('8a', '8g'), {'touching': ('app/templates/base.html',)}))
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.parametrized == ['8a', '8c', '8f', '8g']
    metafunc = FakeMetafunc(steps=(('4b', '4c'), {}))
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.parametrized == ['4b', '4c']
    metafunc = FakeMetafunc()
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.parametrized == steplib.names()
    with pytest.raises(pytest.UsageError, match='mark steps or checkpoints, not both'):
        conftest.pytest_generate_tests(FakeMetafunc(steps=(('2a',), {}),
                                                    checkpoints=(('2a',), {})))


def test_every_dependency_path_names_files_that_exist():
    """A path in tests/depends.py that matches no step's file (or names a function or class
    that no step's file defines) would never select a step."""
    import depends
    every_file = {str(f) for step in steplib.steps() for f in steplib.files(step.path)}
    for name in dir(depends):
        paths = getattr(depends, name)
        if name.isupper() and isinstance(paths, tuple):
            for path in paths:
                file, _, definition = path.partition('#')
                assert any(f.startswith(file) for f in every_file), (name, path)
                assert not definition or any(
                    steplib.definition(step.path / file, definition)
                    for step in steplib.steps()), (name, path)
