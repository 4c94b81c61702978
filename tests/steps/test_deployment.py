"""Chapter 17 for real: the platform (17c) and Unix (17d) configurations served by gunicorn
with two workers, on a PostgreSQL server of the test's own, as the notes deploy them. Two
gunicorn servers share the one database: what one does, the other shows, signed in alike."""
import base64
import json
import re
import shlex
import uuid
from urllib.parse import urlsplit

import pytest

import depends
import pages
from support import process_env, require, run_in_step, steplib

import servers  # scripts/servers.py, beside steplib

SECRET = 'the walk secret, shared by both servers'
# what a deployment runs: every module of the application, its configurations and
# requirements, and the commands the platform or the administrator types
DEPLOYMENT = ('app/', 'config.py', 'manage.py', 'migrations/', 'Procfile', 'requirements.txt',
              'requirements/', '.env') + depends.SERVING


@pytest.fixture(scope='module')
def postgresql():
    """One throw-away PostgreSQL server for the tests of this module in this worker."""
    require(servers.postgresql_bin() is not None, servers.MISSING_POSTGRESQL)
    server = servers.PostgreSQL().start()
    yield server
    server.stop()


def procfile(folder):
    """{process type: command} of the step's Procfile."""
    lines = (folder / 'Procfile').read_text().splitlines()
    return dict(line.split(': ', 1) for line in lines if line.strip())


def python_argv(command):
    """A Procfile command as this Python runs it: `gunicorn ...` is `python -m gunicorn`."""
    argv = shlex.split(command)
    assert argv[0] in ('python', 'gunicorn'), command
    return argv[1:]


def form(page, **fields):
    return dict(fields, csrf_token=pages.hidden_value(page.text))


def register_and_confirm(browser, mailserver, email, username, mail_count):
    """Register on the served step and confirm through the link of the mail it sends."""
    page = browser.get('/auth/register')
    page = browser.post('/auth/register', form(page, email=email, username=username,
                                               password='secret', password2='secret'))
    assert urlsplit(page.url).path == '/auth/login', page.text
    message = mailserver.messages(count=mail_count)[-1]
    assert message['To'] == email
    [link] = re.findall(r'https?://\S+/auth/confirm/\S+',
                        message.get_body(('plain',)).get_content())
    page = browser.get(urlsplit(link).path)  # to the login page first
    page = browser.post(urlsplit(page.url).path + '?' + urlsplit(page.url).query,
                        form(page, email=email, password='secret'))
    assert 'You have confirmed your account. Thanks!' in page.text, page.text
    return link


def api(browser, path, credentials, body=None, method=None):
    headers = {'Authorization': 'Basic ' + base64.b64encode(credentials.encode()).decode()}
    if body is not None:
        headers['Content-Type'] = 'application/json'
        body = json.dumps(body).encode()
    response = browser.request('/api/v1.0' + path, headers=headers, body=body, method=method)
    return response.status, json.loads(response.text)


def walk(one, two, http, mailserver, scheme):
    """Through server `one` and server `two` (their base URLs): register and confirm two
    users, post, follow, comment and use the API, each checked through the other server."""
    def browser(url):  # through the proxy in front, which speaks HTTPS with the browser
        return http(url, behind_https=True)

    ann = browser(one)
    link = register_and_confirm(ann, mailserver, 'ann@example.com', 'ann', 1)
    # the links in mails have the address the browser used: https through the proxy (17c)
    assert urlsplit(link).scheme == scheme, link
    page = ann.get('/')
    assert 'Hello, ann!' in page.text
    ann.post('/', form(page, body='Posted through *one*'))
    # the same browser on the other server: signed in by the same cookie, the post there
    ann.base_url = two
    page = ann.get('/')
    assert 'Hello, ann!' in page.text and '<em>one</em>' in page.text
    susan = browser(two)
    register_and_confirm(susan, mailserver, 'susan@example.com', 'susan', 2)
    page = susan.get('/')
    susan.post('/', form(page, body='Susan writes through two'))
    # ann, on server two, follows susan; on server one she sees it
    page = ann.get('/user/susan')
    page = ann.post('/follow/susan', form(page))
    assert 'You are now following susan.' in page.text
    ann.base_url = one
    assert 'Followers: <span class="badge">1</span>' in ann.get('/user/susan').text
    # a comment through one, read through two
    post_id = re.search(r'/post/(\d+)', ann.get('/user/susan').text)[1]
    page = ann.get('/post/' + post_id)
    page = ann.post('/post/' + post_id, form(page, body='A comment through one'))
    assert 'Your comment has been published.' in page.text
    assert 'A comment through one' in browser(two).get('/post/' + post_id).text
    # the API: a token from one, used on two to post, and the post read through one
    status, token = api(browser(one), '/token', 'ann@example.com:secret')
    assert status == 200
    status, created = api(browser(two), '/posts/', token['token'] + ':', {'body': 'By the API'})
    assert status == 201 and created['comment_count'] == 0
    status, listed = api(browser(one), '/posts/', ':')
    assert status == 200 and listed['count'] == 3
    assert listed['posts'][0]['body'] == 'By the API'


def serve_twice(folder, env, tmp_path, name, argv):
    first = servers.Gunicorn(folder, env, tmp_path / (name + '-1.log'), argv).start()
    try:
        second = servers.Gunicorn(folder, env, tmp_path / (name + '-2.log'), argv).start()
    except BaseException:
        first.stop()
        raise
    return first, second


# 17c only: 17d's walk serves the same application under its own configuration, and the
# platform's configuration has in-process tests that run on every later step
@pytest.mark.steps('17c', '17c')
def test_the_platform_configuration_on_postgresql_and_gunicorn(step, tmp_path, postgresql,
                                                                mailserver, http):
    processes = procfile(step.path)
    assert processes['web'].startswith('gunicorn ') and 'deploy' in processes['release']
    url = postgresql.create_database('platform_' + uuid.uuid4().hex[:8])
    # the platform's form of the address, which SQLAlchemy alone refuses
    env = process_env(tmp_path, FLASK_CONFIG='heroku', SECRET_KEY=SECRET,
                      DATABASE_URL=url.replace('postgresql://', 'postgres://', 1),
                      MAIL_PORT=str(mailserver.port), FLASKY_ADMIN='admin@example.com')
    for _ in range(2):  # the release command of every deployment: the second changes nothing
        release = run_in_step(step, tmp_path, *python_argv(processes['release']), env=env)
        assert release.returncode == 0, release.stderr
    assert 'PostgresqlImpl' in release.stderr and 'Running upgrade' not in release.stderr
    one, two = serve_twice(step.path, env, tmp_path, 'web', python_argv(processes['web']))
    try:
        walk(one.url, two.url, http, mailserver, 'https')
        # plain HTTP, not through the proxy: sent to HTTPS, for a GET and for a form
        plain = http(one.url, follow_redirects=False)
        response = plain.get('/user/ann?page=1')
        assert response.status == 301
        assert response.headers['Location'] == 'https://127.0.0.1:{}/user/ann?page=1'.format(
            one.port)
        assert plain.post('/auth/login', {'email': 'x'}).status == 308
        secure = http(one.url, behind_https=True).get('/')
        assert secure.headers['Strict-Transport-Security'] == 'max-age=31536000'
    finally:
        one.stop()
        two.stop()
    # the log on stderr, as the platform collects it: gunicorn's and the application's
    assert 'Booting worker' in one.output() and 'Traceback' not in one.output() + two.output()


@pytest.mark.steps('17d', touching=DEPLOYMENT)
def test_the_unix_configuration_from_a_dotenv_file_on_postgresql_and_gunicorn(
        step, tmp_path, postgresql, mailserver, http):
    # the administrator's own copy of the step, with its settings in .env, not in git
    folder = tmp_path / 'flasky'
    steplib.copy_files(step.path, folder)
    url = postgresql.create_database('unix_' + uuid.uuid4().hex[:8])
    (folder / '.env').write_text(
        'FLASK_CONFIG=unix\nSECRET_KEY={}\nDATABASE_URL={}\nMAIL_PORT={}\n'
        'FLASKY_ADMIN=admin@example.com\n'.format(SECRET, url, mailserver.port))
    env = process_env(tmp_path)
    for name in ('FLASK_CONFIG', 'SECRET_KEY', 'DATABASE_URL', 'MAIL_PORT', 'FLASKY_ADMIN'):
        env.pop(name, None)
    deploy = run_in_step(step, tmp_path, 'manage.py', 'deploy', env=env, cwd=folder)
    assert deploy.returncode == 0, deploy.stderr
    assert 'PostgresqlImpl' in deploy.stderr
    one, two = serve_twice(folder, env, tmp_path, 'unix', ['--workers', '2', 'manage:app'])
    try:
        # no ProxyFix here: gunicorn itself takes X-Forwarded-Proto from a proxy on the same
        # machine (its forwarded_allow_ips is 127.0.0.1), as nginx in front of it would be
        walk(one.url, two.url, http, mailserver, 'https')
    finally:
        one.stop()
        two.stop()
    assert 'Traceback' not in one.output() + two.output()
