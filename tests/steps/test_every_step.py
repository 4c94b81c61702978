"""What holds for every step: it runs with the book's command and serves its home page."""
import subprocess
import sys

import pytest


@pytest.mark.steps('1a', '1a')
def test_initial_version_is_an_empty_script_that_runs(step):
    assert (step.path / 'hello.py').read_text() == ''
    result = subprocess.run([sys.executable, 'hello.py'], cwd=step.path, capture_output=True,
                            text=True, timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (0, '', '')


@pytest.mark.steps('2a')
def test_book_command_serves_the_home_page(step, serve, http):
    server = serve()
    response = http(server.url).get('/')
    assert response.status == 200, server.output()
    assert '<html' in response.text.lower() or '<h1>' in response.text
