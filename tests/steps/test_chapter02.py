"""Chapter 2: routes, dynamic parts of URLs, Flask-Script."""
import subprocess
import sys

import pytest

from support import run_in_step

SCRIPT_TAG = '<script>alert(1)'  # no slash: a slash would split the URL path


@pytest.mark.steps('2a', '2c')
def test_index_says_hello_world(client):
    response = client.get('/')
    assert response.status_code == 200
    assert response.get_data(as_text=True) == '<h1>Hello World!</h1>'


@pytest.mark.steps('2b', '2c')
def test_user_route_greets_by_name(client):
    assert client.get('/user/Dave').get_data(as_text=True) == '<h1>Hello, Dave!</h1>'


@pytest.mark.steps('2b', '9a')
def test_user_route_escapes_the_name(client):
    page = client.get('/user/' + SCRIPT_TAG).get_data(as_text=True)
    assert SCRIPT_TAG not in page
    assert '&lt;script&gt;alert(1)' in page


@pytest.mark.steps('2b', '2b')
def test_escaping_over_real_http(step, serve, http):
    server = serve()
    page = http(server.url).get('/user/%3Cscript%3Ealert(1)').text
    assert page == '<h1>Hello, &lt;script&gt;alert(1)!</h1>'


@pytest.mark.steps('2a', '2a')
def test_unknown_url_is_404(client):
    assert client.get('/user/Dave').status_code == 404


@pytest.mark.steps('2c')
def test_flask_script_help_lists_the_commands(step):
    result = subprocess.run([sys.executable, step.script, '--help'], cwd=step.path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for command in ('runserver', 'shell'):
        assert command in result.stdout


@pytest.mark.steps('2c')
def test_shell_runs_with_the_app_in_its_namespace(step, tmp_path):
    result = run_in_step(step, tmp_path, step.script, 'shell',
                         input='print("app is", app.import_name)\n')
    assert result.returncode == 0, result.stderr
    assert 'app is ' in result.stdout


@pytest.mark.steps('2c', '7a')
def test_runserver_takes_host_and_port(step, serve, http):
    server = serve()  # runs `python hello.py runserver --host 127.0.0.1 --port N`
    assert '--port' in server.process.args
    assert http(server.url).get('/').status == 200
