"""Every page works offline: the scripts and stylesheets it loads come from the app itself.

From 3b (Flask-Bootstrap) on, each step's pages are checked: the home page, an unknown URL
(the 404 page) and every page the app has a GET route for, with 1 filled in for the parts
of the URL. A CDN URL (http://, https:// or //) fails; a local one must answer 200.
"""
from urllib.parse import urljoin, urlsplit

import pytest

import depends
import pages

NOT_FOUND = '/no-such-page-here'


def page_urls(app):
    urls = ['/', NOT_FOUND]
    adapter = app.url_map.bind('localhost')
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if 'GET' not in rule.methods or rule.endpoint.split('.')[-1] == 'static':
            continue
        # '1' suits every converter: a name, a number, a token, a path
        url = adapter.build(rule.endpoint, {arg: '1' for arg in rule.arguments})
        if url not in urls:
            urls.append(url)
    return urls


@pytest.fixture
def app_with_data(app, request):
    """The app, with its tables created when the step has a database."""
    if 'sqlalchemy' in app.extensions:
        request.getfixturevalue('db')
    return app


@pytest.mark.steps('3b', touching=depends.PAGES)
def test_pages_load_only_local_scripts_and_stylesheets(app_with_data):
    app = app_with_data
    client = app.test_client()
    problems, checked, seen = [], [], {}
    for url in page_urls(app):
        response = client.get(url, follow_redirects=True)
        if response.mimetype != 'text/html':
            continue  # an API's JSON, a file
        checked.append(url)
        page_url = response.request.path
        for resource in pages.resources(response.get_data(as_text=True)):
            if pages.is_remote(resource):
                problems.append('{} loads {} from another site'.format(url, resource))
                continue
            target = urljoin(page_url, resource)
            if target not in seen:
                seen[target] = client.get(target).status_code
            if seen[target] != 200:
                problems.append('{} loads {}: {}'.format(url, resource, seen[target]))
    assert '/' in checked and NOT_FOUND in checked, checked
    assert seen, 'no script or stylesheet found on {}'.format(checked)
    assert not problems, '\n'.join(problems)


def test_remote_urls_are_recognised():
    """The check above can fail: these are the URLs it must refuse or accept."""
    remote = ['https://cdn.example.com/x.js', 'http://example.com/a.css', '//cdnjs.x/b.js',
              ' HTTPS://X/y.js']
    local = ['/static/bootstrap/css/bootstrap.min.css?bootstrap=3.3.7.1', 'js/app.js',
             '../x.css']
    assert [u for u in remote if not pages.is_remote(u)] == []
    assert [u for u in local if pages.is_remote(u)] == []
    page = ('<link rel="stylesheet" href="//cdn/x.css"><script src="/a.js"></script>'
            '<script>var inline = 1;</script><link rel=icon href="/f.ico">')
    assert pages.resources(page) == ['/a.js', '//cdn/x.css', '/f.ico']
    assert urlsplit(urljoin('/user/1', 'x.js')).path == '/user/x.js'
