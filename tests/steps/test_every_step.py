"""What holds for every step: it runs with the book's command and serves its pages.

This is the one test that starts every step's real server. It adds --no-reload to
`runserver`: the debug reloader would import the whole app a second time, in a child
process, and double the time to start. The chapters' tests start the step exactly as the
book does, reloader included, at their checkpoints (see conftest.py).
"""
import subprocess
import sys
from urllib.parse import urljoin

import pytest

import depends
import pages


@pytest.mark.steps('1a', '1a')
def test_initial_version_is_an_empty_script_that_runs(step):
    assert (step.path / 'hello.py').read_text() == ''
    result = subprocess.run([sys.executable, 'hello.py'], cwd=step.path, capture_output=True,
                            text=True, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (0, '', '')


@pytest.mark.steps('2a', touching=depends.SERVING)
def test_book_command_serves_the_pages(step, step_module, serve, http):
    if step.database:
        # the tables the pages read (from 11a the home page lists posts), made in-process:
        # `make run`'s own preparation has tests of its own and takes three processes
        script = step_module(step.script[:-len('.py')])  # the same databases as the server
        with script.app.app_context():
            script.db.create_all()
    server = serve(reload=False)  # from 2c: `python hello.py runserver --host … --port …`
    assert ('--port' in server.process.args) == step.serve.endswith('runserver')
    browser = http(server.url)
    home = browser.get('/')
    assert home.status == 200, server.output()
    assert '<html' in home.text.lower() or '<h1>' in home.text
    # what the home page loads comes from this server too (from 3b: Bootstrap and more)
    for resource in pages.resources(home.text):
        assert not pages.is_remote(resource), resource
        assert browser.get(urljoin('/', resource)).status == 200, resource
    assert browser.get('/no-such-page-here').status == 404
