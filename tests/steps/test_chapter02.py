"""Chapter 2: routes, dynamic parts of URLs, Flask-Script."""
import pytest

import depends
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


def manager(step, step_module):
    """The Flask-Script manager of the step's script (hello.py, from 7a manage.py)."""
    return step_module(step.script[:-len('.py')]).manager


@pytest.mark.steps('2c', touching=depends.STARTUP)
def test_flask_script_help_lists_the_commands(step, step_module, capsys):
    with pytest.raises(SystemExit) as exit:
        manager(step, step_module).handle(step.script, ['--help'])
    assert exit.value.code == 0
    listed = capsys.readouterr().out
    for command in ('runserver', 'shell'):
        assert command in listed


@pytest.mark.steps('2c', touching=depends.STARTUP)
def test_shell_context_has_the_app(step, step_module):
    commands = manager(step, step_module)
    commands.set_defaults()  # what run() does before a command: adds runserver and shell
    app = commands.app
    with app.app_context():
        context = commands._commands['shell'].get_context()
    assert context['app'] is app


@pytest.mark.checkpoints('2c', chapter_ends=False, starts=False, touching=depends.MANAGER)
def test_help_and_shell_from_the_command_line(step, tmp_path):
    """The same two commands typed as the book does, in hello.py and in manage.py."""
    result = run_in_step(step, tmp_path, step.script, '--help')
    assert result.returncode == 0, result.stderr
    assert 'runserver' in result.stdout and 'shell' in result.stdout
    result = run_in_step(step, tmp_path, step.script, 'shell',
                         input='print("app is", app.import_name)\n')
    assert result.returncode == 0, result.stderr
    assert 'app is ' in result.stdout
