"""What a learner leaves in chapters/ (databases from `make run`, mail, caches) never fails or
changes a test: part of the suite runs in a copy of the project whose every step has them."""
import os
import shutil
import subprocess
import sys

from script_support import copy_project
from support import folder_state, steplib

# what running a step by hand leaves beside its files, besides the database `make run` makes
DEBRIS = {'__pycache__/hello.cpython-311.pyc': b'\0cache', '.pytest_cache/README.md': b'cache',
          'mail/1.eml': b'Subject: hi\n\nkept by scripts/mailserver --dir mail\n',
          '.ipynb_checkpoints/notes-checkpoint.ipynb': b'{}', 'data-test.sqlite': b'tests'}


def database_file(step):
    """The database `make run` prepares for the step, beside its script."""
    return 'data-dev.sqlite' if step.script == 'manage.py' else 'data.sqlite'


def make_run_preparation(root, tested):
    """`scripts/run STEP --prepare-only` (what `make run` does first), for real on the steps
    the suite runs here (`tested`), copied from those to every other step with a database:
    a real database in every step folder, in a fraction of the time of preparing all 58."""
    prepared = {}
    for step in tested:
        # no fake data (from 17a): a database file is what matters here
        subprocess.run([sys.executable, str(root / 'scripts' / 'run'), step.name,
                        '--prepare-only', '--no-seed'], cwd=root, check=True,
                       capture_output=True, timeout=120)
        prepared[step.script] = root / 'chapters' / step.name / database_file(step)
    source = next(iter(prepared.values()))
    for step in steplib.steps():
        if step.database and step not in tested:
            shutil.copy(source, root / 'chapters' / step.name / database_file(step))
    return prepared


def test_learners_files_in_every_step_change_no_test(tmp_path):
    root = copy_project(tmp_path / 'project')
    shutil.copytree(steplib.ROOT / 'tests', root / 'tests',
                    ignore=shutil.ignore_patterns('__pycache__', '.pytest_cache'))
    shutil.copy(steplib.ROOT / 'pytest.ini', root / 'pytest.ini')
    shutil.copy(steplib.ROOT / 'requirements.txt', root / 'requirements.txt')
    tested = [steplib.newest()]
    assert make_run_preparation(root, tested).keys() == {'manage.py'}
    for step in steplib.steps():
        for name, content in DEBRIS.items():
            path = root / 'chapters' / step.name / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    before = folder_state(root / 'chapters')
    assert sum(name.endswith('.sqlite') for name in before) > len(steplib.steps())

    # the tests that read step folders (configurations and their defaults, the app's static
    # files, neighbours and diffs over every step; test_start copies a dirty step itself),
    # in-process, on the newest step, which `make run` prepared; the served steps and the
    # checkpoints' processes get their databases through the environment, never from the
    # step folder
    chosen = ['tests/steps/test_chapter07.py', 'tests/security/test_security_offline.py',
              'tests/test_neighbours.py', 'tests/test_diff.py']
    only = ' '.join(sorted(step.name for step in tested))
    result = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-n', '0',
         # the diff page's browser test reads no step folder of its own: not again here
         '-m', 'not checkpoints', '-k', 'not projector', *chosen], cwd=root,
        env=dict(os.environ, FLASKY_STEPS=only), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert ' passed' in result.stdout and ' failed' not in result.stdout
    assert folder_state(root / 'chapters') == before, 'a test changed a learner\'s files'
