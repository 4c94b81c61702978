"""scripts/assets: the pinned Bootstrap, jQuery and moment.js files in every step that loads
them. The repository's copies are checked as they are; changes are made on a copy."""
import shutil

import pytest

import support
from script_support import copy_project, run_script
from support import steplib

# one file of each package, where it first appears and where it moved to in 7a
SAMPLES = ['3b/static/jquery.min.js', '3e/static/moment-with-locales.min.js',
           '7a/app/static/css/bootstrap.min.css']


@pytest.fixture
def repo(tmp_path):
    return copy_project(tmp_path / 'repo')


def test_help_shows_the_examples():
    result = run_script('assets', '--help')
    assert result.returncode == 0
    assert 'scripts/assets --check' in result.stdout and 'Exit status' in result.stdout


def test_every_copy_in_the_steps_matches_the_pinned_packages():
    result = run_script('assets', '--check')
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith('all ') and 'match the pinned packages' in result.stdout


def test_check_lists_a_changed_and_a_missing_copy(repo):
    chapters = repo / 'chapters'
    (chapters / '5b' / 'static' / 'jquery.min.js').write_text('/*! jQuery v1.12.4 */\n')
    (chapters / '7a' / 'app' / 'static' / 'fonts' / 'glyphicons-halflings-regular.woff2').unlink()
    result = run_script('assets', '--check', root=repo)
    assert result.returncode == 1
    *listed, total = result.stdout.splitlines()
    assert sorted(listed) == [
        'differs chapters/5b/static/jquery.min.js',
        'missing chapters/7a/app/static/fonts/glyphicons-halflings-regular.woff2']
    assert total.startswith('2 of ') and total.endswith(' copies missing or different')
    # before the step that first loads it, a library is not there at all
    assert not (chapters / '3a' / 'static').exists()
    assert not (chapters / '3d' / 'static' / 'moment-with-locales.min.js').exists()


def test_writing_restores_the_pinned_files_from_npm(repo):
    support.require(shutil.which('npm'), 'scripts/assets needs npm (Debian: apt install npm)')
    for sample in SAMPLES:
        (repo / 'chapters' / sample).unlink()
    result = run_script('assets', root=repo, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    *listed, total = result.stdout.splitlines()
    assert sorted(listed) == ['added chapters/' + s for s in SAMPLES]
    assert total.startswith('3 of ')
    for sample in SAMPLES:
        assert (repo / 'chapters' / sample).read_bytes() == \
            (steplib.CHAPTERS / sample).read_bytes()
