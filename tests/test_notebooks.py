"""The notebooks: each runs from a fresh kernel, is saved with the outputs it prints today,
loads a step that exists, and leaves that step's folder as it found it. `make lab` opens them."""
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from script_support import load_script
from support import folder_state, free_port, require, steplib


notebooks = load_script('notebooks')
PATHS = notebooks.all_notebooks()
IDS = [path.stem for path in PATHS]
STEP_LINE = re.compile(r"STEP = '(\w+)'")
ASSERT_LINE = re.compile(r'^assert ', re.M)
IMPORT_LINE = re.compile(r'^import (hello|manage)$', re.M)


def nbformat():
    """nbformat, imported on first use: its schema checks take seconds to import, which every
    test process would pay at collection."""
    import nbformat as module
    return module


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == 'code']


def step_named_by(nb):
    match = STEP_LINE.match(code_cells(nb)[0].source)
    assert match, "the first code cell must start with STEP = '<step>'"
    return match.group(1)


def test_the_notebooks_are_there():
    assert IDS == ['01-contexts', '02-sqlalchemy-queries', '03-relationship-loading',
                   '04-tokens-and-passwords', '05-pagination-and-queries',
                   '06-followers-and-joins']


@pytest.mark.parametrize('path', PATHS, ids=IDS)
def test_notebook_runs_from_a_fresh_kernel(path, monkeypatch):
    saved = nbformat().read(path, as_version=4)
    step = steplib.find(step_named_by(saved))
    # without this the kernel would not write caches anyway here, and the check would be moot
    monkeypatch.delenv('PYTHONDONTWRITEBYTECODE', raising=False)
    before = folder_state(step.path)
    try:
        executed, seconds = notebooks.execute(path)
    except notebooks.NotebookError as error:
        pytest.fail(str(error), pytrace=False)
    print('{}: {:.1f} s from a fresh kernel'.format(path.name, seconds))
    assert folder_state(step.path) == before, 'the notebook changed chapters/' + step.name
    stale = notebooks.stale_cells(saved, executed)
    assert not stale, ('{}: the saved outputs of cells {} are not what the notebook prints now: '
                       'save them with scripts/notebooks {}'.format(
                           path.name, ', '.join(map(str, stale)), path.stem))


@pytest.mark.parametrize('path', PATHS, ids=IDS)
def test_notebook_is_saved_with_its_outputs(path):
    """So that it reads well on GitHub, run top to bottom, each claim checked by an assert."""
    nb = nbformat().read(path, as_version=4)
    cells = code_cells(nb)
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1)), \
        'not run top to bottom in one kernel: save it with scripts/notebooks ' + path.stem
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type == 'code':
            assert cell.outputs, 'cell {} has no output'.format(number)
            assert all(out.output_type != 'error' for out in cell.outputs), number
            assert not any(out.get('name') == 'stderr' for out in cell.outputs), number
    assert sum(bool(ASSERT_LINE.search(cell.source)) for cell in cells) >= 5
    assert nb.metadata.kernelspec == notebooks.KERNELSPEC
    assert step_named_by(nb) in steplib.names()


@pytest.mark.parametrize('path', PATHS, ids=IDS)
def test_notebook_leaves_the_steps_database_alone(path):
    """The first cell points the step's database URLs into a temporary folder before importing
    the step: hello.py up to chapter 6, manage.py (and its config.py) from chapter 7 on."""
    first = code_cells(nbformat().read(path, as_version=4))[0].source
    assert 'tempfile.mkdtemp(' in first
    imported = IMPORT_LINE.search(first)
    assert imported, 'the first cell must import the step: import hello or import manage'
    urls = ['DATABASE_URL'] + (['DEV_DATABASE_URL', 'TEST_DATABASE_URL']
                               if imported.group(1) == 'manage' else [])
    for url in urls:  # config.py reads one per configuration when manage is imported
        assert 0 <= first.find("os.environ['{}']".format(url)) < imported.start(), url
    assert 'sys.dont_write_bytecode = True' in first


def lab_command():
    """The kernel spec install line of the Makefile's lab target, as an argument list."""
    makefile = (steplib.ROOT / 'Makefile').read_text()
    line = next(line for line in makefile.splitlines() if 'ipykernel install' in line)
    argv = shlex.split(line.split('>')[0])
    assert argv[0] == '$(BIN)/python'
    return [sys.executable] + argv[1:]


def test_make_lab_kernel_spec_runs_this_venv_and_matches_the_notebooks(tmp_path):
    argv = lab_command()
    where = argv.index('--sys-prefix')  # into the venv; here into tmp_path instead
    argv[where:where + 1] = ['--prefix', str(tmp_path)]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    spec = json.loads((tmp_path / 'share' / 'jupyter' / 'kernels' / notebooks.KERNELSPEC['name']
                       / 'kernel.json').read_text())
    assert spec['display_name'] == notebooks.KERNELSPEC['display_name']
    assert Path(spec['argv'][0]).resolve() == Path(sys.executable).resolve()
    assert 'ipykernel_launcher' in spec['argv']


def test_make_lab_starts_jupyterlab_on_the_notebooks(tmp_path):
    """`make lab` for real, on a free port and without a browser; stopped at the end."""
    venv = Path(sys.prefix)
    require((venv / 'installed').exists(),
            'make lab needs the venv that make creates ({} has no installed mark)'.format(venv))
    port, token = free_port(), 'notebook-test'
    args = '--no-browser --port={} --IdentityProvider.token={}'.format(port, token)
    if os.geteuid() == 0:
        args += ' --allow-root'  # Jupyter refuses root otherwise (containers, CI)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / 'runtime'),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / 'workspaces'))
    log = tmp_path / 'lab.log'
    with open(log, 'wb') as out:
        process = subprocess.Popen(['make', '--no-print-directory', 'lab', 'VENV=' + str(venv),
                                    'LAB_ARGS=' + args], cwd=steplib.ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def api(path):
            url = 'http://127.0.0.1:{}/api/{}?token={}'.format(port, path, token)
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)

        deadline, specs = time.monotonic() + 60, None
        while specs is None:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, 'no JupyterLab after 60 s:\n' + log.read_text()
            try:
                specs = api('kernelspecs')
            except OSError:
                time.sleep(0.25)
        flasky = specs['kernelspecs'][notebooks.KERNELSPEC['name']]['spec']
        assert flasky['display_name'] == notebooks.KERNELSPEC['display_name']
        assert Path(flasky['argv'][0]).resolve() == Path(sys.executable).resolve()
        listed = {item['name'] for item in api('contents')['content']}
        assert {path.name for path in PATHS} <= listed
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_script(*args):
    return subprocess.run([sys.executable, str(steplib.ROOT / 'scripts' / 'notebooks'), *args],
                          capture_output=True, text=True, timeout=120)


def test_script_names_the_notebooks_for_an_unknown_name():
    result = run_script('--check', '01-context')
    assert result.returncode == 2
    assert result.stderr.startswith("notebooks: unknown notebook '01-context' (closest: 01-contexts")
    assert 'Traceback' not in result.stderr


def test_script_reports_a_failing_cell_in_one_short_block(tmp_path, monkeypatch):
    nb = nbformat().v4.new_notebook(cells=[
        nbformat().v4.new_markdown_cell('# A claim that is false'),
        nbformat().v4.new_code_cell('joined = 2'),
        nbformat().v4.new_code_cell('x = 1\nassert joined == 1, "joined loading sends one"'),
        nbformat().v4.new_code_cell('print("never reached")')])
    path = tmp_path / 'broken.ipynb'
    nbformat().write(nb, path)
    with pytest.raises(notebooks.NotebookError) as raised:
        notebooks.execute(path)
    assert str(raised.value) == (
        '{}: cell 3 failed\n'
        '  line 2: assert joined == 1, "joined loading sends one"\n'
        '  AssertionError: joined loading sends one'.format(path))


def test_script_check_spots_outputs_that_are_out_of_date(tmp_path):
    nb = nbformat().v4.new_notebook(cells=[nbformat().v4.new_code_cell('print(6 * 7)')])
    path = tmp_path / 'answer.ipynb'
    nbformat().write(nb, path)
    executed, seconds = notebooks.execute(path)
    assert notebooks.stale_cells(nb, executed) == [1]  # saved without outputs
    notebooks.save(executed, path)
    again, _ = notebooks.execute(path)
    assert notebooks.stale_cells(nbformat().read(path, as_version=4), again) == []
    assert again.cells[0].outputs[0].text == '42\n'
