"""Chapter 4: the name form (Flask-WTF), Post/Redirect/Get with the session, flashed messages."""
import pytest

import pages
from support import steplib

LONGEST = 64  # the Length limit the steps put on a name
CHANGED = 'Looks like you have changed your name!'


def greeting(response):
    return pages.texts(response.get_data(as_text=True), 'h1')


def alerts(page):
    return pages.texts(page, 'div', class_='alert')


@pytest.fixture
def csrf_app(app):
    """The app with CSRF protection on, as a real visitor meets it (the `app` fixture's is off)."""
    app.config['WTF_CSRF_ENABLED'] = True
    return app


@pytest.mark.steps('4a', '5a')
def test_index_shows_the_name_form(csrf_app):
    page = csrf_app.test_client().get('/').get_data(as_text=True)
    assert pages.texts(page, 'h1') == ['Hello, Stranger!']
    forms = pages.tags(page, 'form')
    assert len(forms) == 1 and forms[0]['method'].lower() == 'post'
    fields = {attrs.get('name'): attrs for attrs in pages.tags(page, 'input')}
    assert fields['name']['type'] == 'text' and 'required' in fields['name']
    assert fields['name']['maxlength'] == str(LONGEST)  # WTForms tells the browser the limit
    assert fields['submit']['type'] == 'submit' and fields['submit']['value'] == 'Submit'
    assert len(fields['csrf_token']['value']) > 20 and fields['csrf_token']['type'] == 'hidden'
    assert pages.texts(page, 'label') == ['What is your name?']


@pytest.mark.steps('4a', '5a')
def test_an_empty_name_is_refused_with_a_message(client):
    for blank in ('', '   '):
        response = client.post('/', data={'name': blank})
        assert response.status_code == 200  # the same page again, no redirect
        page = response.get_data(as_text=True)
        assert greeting(response) == ['Hello, Stranger!']
        assert 'This field is required.' in pages.texts(page, 'p', class_='help-block')


@pytest.mark.steps('4a', '5a')
def test_a_name_longer_than_the_limit_is_refused(client):
    response = client.post('/', data={'name': 'x' * (LONGEST + 1)})
    assert response.status_code == 200
    assert greeting(response) == ['Hello, Stranger!']
    errors = pages.texts(response.get_data(as_text=True), 'p', class_='help-block')
    assert errors == ['Field cannot be longer than {} characters.'.format(LONGEST)]
    # the longest name allowed goes through
    response = client.post('/', data={'name': 'x' * LONGEST}, follow_redirects=True)
    assert greeting(response) == ['Hello, {}!'.format('x' * LONGEST)]


@pytest.mark.steps('4a', '5a')
def test_a_post_without_the_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post('/', data={'name': 'Mallory'}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert greeting(response) == ['Hello, Stranger!']
    assert 'The CSRF token is missing.' in pages.texts(page, 'p', class_='error')
    # a token from another session does not pass either
    other = csrf_app.test_client().get('/').get_data(as_text=True)
    response = client.post('/', data={'name': 'Mallory', 'csrf_token': pages.hidden_value(other)},
                           follow_redirects=True)
    assert greeting(response) == ['Hello, Stranger!']
    assert client.get('/').status_code == 200 and 'Mallory' not in client.get('/').text


@pytest.mark.steps('4a', '5a')
def test_the_name_is_escaped_in_the_greeting(client):
    response = client.post('/', data={'name': '<b>Dave</b>'}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<b>Dave</b>' not in page
    assert '&lt;b&gt;Dave&lt;/b&gt;' in page


@pytest.mark.steps('4a', '4a')
def test_4a_greets_the_name_on_the_page_that_answers_the_post(client):
    response = client.post('/', data={'name': 'Dave'})
    assert response.status_code == 200
    assert greeting(response) == ['Hello, Dave!']
    # the field is emptied for the next name, and nothing is remembered
    assert pages.hidden_value(response.get_data(as_text=True), 'name') == ''
    assert greeting(client.get('/')) == ['Hello, Stranger!']


@pytest.mark.steps('4b', '5a')
def test_a_valid_post_redirects_and_the_name_stays_in_the_session(client):
    response = client.post('/', data={'name': 'Dave'})
    assert response.status_code == 302
    assert response.headers['Location'] == '/'
    with client.session_transaction() as session:
        assert session['name'] == 'Dave'
    assert greeting(client.get('/')) == ['Hello, Dave!']
    assert greeting(client.get('/')) == ['Hello, Dave!']  # reloading asks nothing again
    # another visitor (no session cookie) is still a stranger
    assert greeting(client.application.test_client().get('/')) == ['Hello, Stranger!']


@pytest.mark.steps('4c', '5a')
def test_changing_the_name_flashes_a_message_once(client):
    page = client.post('/', data={'name': 'Dave'}, follow_redirects=True).get_data(as_text=True)
    assert alerts(page) == []  # a first name is not a change
    page = client.post('/', data={'name': 'Dave'}, follow_redirects=True).get_data(as_text=True)
    assert alerts(page) == []  # nor is the same name again
    response = client.post('/', data={'name': 'Susan'}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert greeting(response) == ['Hello, Susan!']
    assert len(alerts(page)) == 1 and CHANGED in alerts(page)[0]
    assert alerts(client.get('/').get_data(as_text=True)) == []  # shown once, then gone


@pytest.mark.steps('4c', '5a')
def test_flashed_messages_show_on_every_page_as_bootstrap_alerts(client):
    client.post('/', data={'name': 'Dave'})
    client.post('/', data={'name': 'Susan'})
    # base.html shows them, so the next page of any kind does
    page = client.get('/user/Susan').get_data(as_text=True)
    boxes = [attrs for attrs in pages.tags(page, 'div')
             if 'alert' in attrs.get('class', '').split()]
    assert len(boxes) == 1
    assert CHANGED in alerts(page)[0]
    # a close button Bootstrap's JavaScript knows
    assert any(attrs.get('data-dismiss') == 'alert' for attrs in pages.tags(page, 'button'))


@pytest.mark.steps('4b', '4c')
def test_the_form_over_real_http_as_a_browser_sends_it(step, serve, http):
    server = serve()
    visitor = http(server.url, follow_redirects=False)
    page = visitor.get('/').text
    token = pages.hidden_value(page)
    assert token, page

    response = visitor.post('/', {'name': 'Dave', 'csrf_token': token, 'submit': 'Submit'})
    assert response.status == 302, server.output()
    assert response.headers['Location'] == '/'
    page = visitor.get('/').text
    assert pages.texts(page, 'h1') == ['Hello, Dave!']

    # without the token the same post is turned away, the name stays
    response = visitor.post('/', {'name': 'Mallory', 'submit': 'Submit'})
    assert response.status == 200
    assert 'The CSRF token is missing.' in pages.texts(response.text, 'p', class_='error')
    assert pages.texts(visitor.get('/').text, 'h1') == ['Hello, Dave!']

    response = visitor.post('/', {'name': 'Susan', 'csrf_token': pages.hidden_value(page)})
    assert response.status == 302
    page = visitor.get('/').text
    assert pages.texts(page, 'h1') == ['Hello, Susan!']
    if step in steplib.between('4c'):
        assert len(alerts(page)) == 1 and CHANGED in alerts(page)[0]
