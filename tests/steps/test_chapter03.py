"""Chapter 3: templates, Flask-Bootstrap, custom error pages, static files, Flask-Moment."""
import contextlib
import re
import time
from datetime import datetime, timezone

import pytest
from flask import template_rendered

import depends
import pages


@contextlib.contextmanager
def rendered_templates(app):
    """The names of the templates the app renders inside the block."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


headings = pages.headings


@pytest.mark.steps('3a', touching=depends.PAGES)
def test_index_renders_its_template(app, client):
    with rendered_templates(app) as names:
        assert client.get('/').status_code == 200
    assert names == ['index.html']


@pytest.mark.steps('3a', '9a')
def test_user_page_renders_its_template_with_the_name(app, client):
    with rendered_templates(app) as names:
        response = client.get('/user/Dave')
    assert response.status_code == 200
    assert names == ['user.html']
    assert headings(response) == ['Hello, Dave!']


@pytest.mark.steps('3a', '3b')
def test_index_still_says_hello_world(client):
    assert client.get('/').get_data(as_text=True) == '<h1>Hello World!</h1>'


@pytest.mark.steps('3a', '3a')
def test_user_template_is_plain_html(client):
    assert client.get('/user/Dave').get_data(as_text=True) == '<h1>Hello, Dave!</h1>'


@pytest.mark.steps('3b', '9a')
def test_user_page_is_a_bootstrap_page_with_a_navbar(app, client):
    page = client.get('/user/Dave').get_data(as_text=True)
    stylesheets = [attrs['href'] for attrs in pages.tags(page, 'link')
                   if 'stylesheet' in attrs.get('rel', '')]
    assert any(re.search(r'/bootstrap(\.min)?\.css\b', href) for href in stylesheets), stylesheets
    assert pages.texts(page, 'a', class_='navbar-brand') == ['Flasky']
    assert not any(pages.is_remote(href) for href in stylesheets), stylesheets


@pytest.mark.steps('3c', touching=depends.PAGES)
def test_index_extends_the_base_template(app, client):
    page = client.get('/').get_data(as_text=True)
    assert pages.texts(page, 'a', class_='navbar-brand') == ['Flasky']
    assert 'Flasky' in pages.texts(page, 'title')[0]


@pytest.mark.steps('3c', touching=depends.PAGES)
def test_unknown_url_shows_the_custom_404_page(app, client):
    with rendered_templates(app) as names:
        response = client.get('/no/such/page')
    assert response.status_code == 404
    assert names == ['404.html']
    page = response.get_data(as_text=True)
    assert headings(response) == ['Not Found']
    # Werkzeug's own 404 page has the same heading, but no navbar
    assert pages.texts(page, 'a', class_='navbar-brand') == ['Flasky']


@pytest.mark.fresh_app  # it adds a route
@pytest.mark.steps('3c', touching=depends.PAGES)
def test_a_failing_view_shows_the_custom_500_page(app):
    def boom():
        raise RuntimeError('a bug in a view')

    app.add_url_rule('/boom', 'boom', boom)
    # TESTING lets exceptions reach the test; a real server turns them into a 500 page
    app.config['PROPAGATE_EXCEPTIONS'] = False
    with rendered_templates(app) as names:
        response = app.test_client().get('/boom')
    assert response.status_code == 500
    assert names == ['500.html']
    page = response.get_data(as_text=True)
    assert headings(response) == ['Internal Server Error']
    assert pages.texts(page, 'a', class_='navbar-brand') == ['Flasky']
    assert 'a bug in a view' not in page


@pytest.mark.steps('3d', touching=depends.PAGES)
def test_pages_link_the_favicon_which_is_a_real_icon(client):
    page = client.get('/').get_data(as_text=True)
    icons = [attrs['href'] for attrs in pages.tags(page, 'link')
             if 'icon' in attrs.get('rel', '').split()]
    assert icons == ['/static/favicon.ico']
    response = client.get(icons[0])
    assert response.status_code == 200
    icon = response.get_data()
    # an ICO file: reserved 0, type 1 (icon), then at least one image
    assert icon[:4] == b'\x00\x00\x01\x00' and int.from_bytes(icon[4:6], 'little') >= 1
    assert response.mimetype in ('image/x-icon', 'image/vnd.microsoft.icon')


def moment_spans(page):
    return [attrs for attrs in pages.tags(page, 'span')
            if 'flask-moment' in attrs.get('class', '').split()]


@pytest.fixture
def server_far_from_utc(monkeypatch):
    """Run the app in a zone behind UTC: a naive local time would then show hours off."""
    monkeypatch.setenv('TZ', 'America/Sao_Paulo')
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.steps('3e', '3e')
def test_index_hands_the_current_utc_time_to_moment(client, server_far_from_utc):
    assert datetime.now().hour != datetime.now(timezone.utc).hour
    before = datetime.now(timezone.utc).replace(microsecond=0)
    page = client.get('/').get_data(as_text=True)
    after = datetime.now(timezone.utc)
    spans = moment_spans(page)
    assert [(s['data-function'], s.get('data-format')) for s in spans] == [
        ('format', 'LLL'), ('fromNow', None)]
    for span in spans:
        # moment.js reads the trailing Z as UTC and shows the time in the reader's zone
        assert span['data-timestamp'].endswith('Z'), span
        shown = datetime.strptime(span['data-timestamp'], '%Y-%m-%dT%H:%M:%SZ')
        assert before <= shown.replace(tzinfo=timezone.utc) <= after
    assert spans[1]['data-refresh'] == str(60 * 1000)  # refresh=True: once a minute


@pytest.mark.steps('3e', touching=depends.PAGES)
def test_moment_js_is_included_and_served_by_the_app(client):
    page = client.get('/').get_data(as_text=True)
    scripts = [attrs['src'] for attrs in pages.tags(page, 'script') if attrs.get('src')]
    moment_js = [src for src in scripts if re.search(r'/moment[\w.-]*\.js$', src)]
    assert len(moment_js) == 1, scripts
    assert scripts.index(moment_js[0]) > 0, 'moment.js comes after jQuery and Bootstrap'
    response = client.get(moment_js[0])
    assert response.status_code == 200
    assert b'.isMoment=' in response.get_data()  # its minified build has no banner
    assert 'flask_moment_render_all' in page  # Flask-Moment's own code, inline
