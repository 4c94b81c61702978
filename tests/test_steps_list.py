"""chapters/steps.toml is the one list of steps: it must match the folders and the spec."""
import re
from pathlib import Path

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
        assert step.database in ('', 'create_all', 'upgrade'), step
        has_migrations = (step.path / 'migrations').is_dir()
        assert (step.database == 'upgrade') == has_migrations, step


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
