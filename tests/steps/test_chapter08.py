"""Chapter 8: password hashing, the auth blueprint, Flask-Login, registration, confirmation,
password change and reset, email change. In-process on every step; the whole way with a
served step and a real mail server at the checkpoints."""
import base64
import json
import re
import time
from urllib.parse import urlsplit

import pytest

import depends
import pages
from accounts import PASSWORD, add_user, csrf_on, flashed, login
from support import prepare_database

OPEN_REDIRECTS = ['http://evil.example/', '//evil.example', '/\\evil.example',
                  'javascript:alert(1)', '///evil.example', '/\t/evil.example',
                  'https:/evil.example', '%2F%2Fevil.example']
INVALID = 'Invalid username or password.'


def payload(token):
    """What anyone can read in a token: its middle part, base64-decoded."""
    part = token.split('.')[1]
    return json.loads(base64.urlsafe_b64decode(part + '=' * (-len(part) % 4)))


def tampered(token):
    """The token with one character of its signature changed."""
    head, _, signature = token.rpartition('.')
    return head + '.' + ('A' if signature[0] != 'A' else 'B') + signature[1:]


# 8a: password hashing ----------------------------------------------------------------------

@pytest.mark.steps('8a', touching=depends.AUTH)
def test_password_is_write_only_salted_and_verified(models):
    User = models.User
    first, second = User(password='cat'), User(password='cat')
    with pytest.raises(AttributeError):
        first.password
    assert first.password_hash != second.password_hash  # a salt of its own each
    assert first.verify_password('cat') and second.verify_password('cat')
    assert not first.verify_password('dog') and not first.verify_password('')


@pytest.mark.steps('8a', touching=depends.AUTH)
def test_the_model_hashes_with_werkzeugs_default_method(models, monkeypatch):
    calls = []
    monkeypatch.setattr(models, 'generate_password_hash',
                        lambda *args, **kwargs: calls.append((args, kwargs)) or 'x')
    models.User(password='cat')
    assert calls == [(('cat',), {})]  # no method, no salt length: today's defaults


@pytest.mark.steps('8a', '8a')
@pytest.mark.real_hashing
def test_todays_hash_is_scrypt_and_fits_its_column(models):
    User = models.User
    user = User(password='cat')
    method, salt, digest = user.password_hash.split('$')
    assert method == 'scrypt:32768:8:1' and len(salt) == 16
    assert len(user.password_hash) <= User.__table__.c.password_hash.type.length


@pytest.mark.steps('8a', touching=depends.AUTH)
def test_old_pbkdf2_sha1_hashes_still_verify(models):
    """A hash as the book's Werkzeug made it: the method travels with the hash."""
    import werkzeug.security
    user = models.User()
    user.password_hash = werkzeug.security.generate_password_hash(
        'cat', method='pbkdf2:sha1:1000', salt_length=8)
    assert user.password_hash.startswith('pbkdf2:sha1:1000$')
    assert user.verify_password('cat') and not user.verify_password('dog')


# 8b: the auth blueprint --------------------------------------------------------------------

@pytest.mark.steps('8b', touching=depends.AUTH)
def test_auth_blueprint_serves_the_login_page_under_auth(app, client):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    assert rules['auth.login'] == '/auth/login'
    assert all(rule.startswith('/auth/') for endpoint, rule in rules.items()
               if endpoint.startswith('auth.'))
    response = client.get('/auth/login')
    assert response.status_code == 200 and pages.headings(response) == ['Login']


# 8c: logging in and out --------------------------------------------------------------------

@pytest.mark.steps('8c', touching=depends.AUTH)
def test_login_greets_the_user_and_logout_says_goodbye(models, db, client):
    add_user(models, db)
    assert pages.headings(client.get('/')) == ['Hello, Stranger!']
    response = login(client)
    assert response.status_code == 302 and response.headers['Location'] == '/'
    page = client.get('/')
    assert pages.headings(page) == ['Hello, john!']
    assert '/auth/logout' in [a.get('href') for a in pages.tags(page.get_data(True), 'a')]
    page = client.get('/auth/logout', follow_redirects=True)
    assert flashed(page) == ['You have been logged out.']
    assert pages.headings(page) == ['Hello, Stranger!']
    assert '/auth/login' in [a.get('href') for a in pages.tags(page.get_data(True), 'a')]


@pytest.mark.steps('8c', touching=depends.AUTH)
def test_wrong_email_and_wrong_password_get_the_same_answer(models, db, client):
    add_user(models, db)
    wrong_password = login(client, password='dog')
    unknown_email = login(client, email='nobody@example.com')
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200 and flashed(response) == [INVALID]
    assert pages.headings(client.get('/')) == ['Hello, Stranger!']


@pytest.mark.steps('8c', touching=depends.AUTH)
def test_email_is_matched_without_regard_to_case(models, db, client):
    add_user(models, db, email='john@example.com')
    assert login(client, email='John@EXAMPLE.com').status_code == 302
    assert pages.headings(client.get('/')) == ['Hello, john!']


@pytest.mark.steps('8c', touching=depends.AUTH)
def test_next_is_followed_only_to_a_path_on_this_site(models, db, client):
    add_user(models, db)
    for target in OPEN_REDIRECTS:
        response = login(client, next=target.replace('\t', '%09'))
        location = response.headers['Location']
        parts = urlsplit(location.replace('\\', '/'))
        assert response.status_code == 302 and location == '/', (target, location)
        assert not parts.netloc and not parts.scheme
        client.get('/auth/logout')
    for target in ('/user/dave', '/auth/login?x=1'):
        assert login(client, next=target).headers['Location'] == target
        client.get('/auth/logout')


@pytest.mark.steps('8c', touching=depends.AUTH)
def test_login_required_sends_visitors_to_the_login_page_and_back(models, db, client):
    add_user(models, db)
    response = client.get('/auth/logout')
    assert response.status_code == 302
    location = urlsplit(response.headers['Location'])
    assert location.path == '/auth/login' and location.query == 'next=%2Fauth%2Flogout'
    assert login(client, next='%2Fauth%2Flogout').headers['Location'] == '/auth/logout'


@pytest.mark.steps('8c', touching=depends.AUTH)
def test_remember_me_sets_a_lasting_httponly_cookie(models, db, client):
    add_user(models, db)
    login(client)
    assert client.get_cookie('remember_token') is None
    client.get('/auth/logout')
    response = login(client, remember=True)
    [cookie] = [c for c in response.headers.getlist('Set-Cookie')
                if c.startswith('remember_token=')]
    assert 'HttpOnly' in cookie and 'Expires=' in cookie
    assert client.get_cookie('session').http_only


# 8d: registration --------------------------------------------------------------------------

def register(client, email='John@Example.com', username='john', password='cat',
             password2=None):
    return client.post('/auth/register', data={
        'email': email, 'username': username, 'password': password,
        'password2': password if password2 is None else password2})


@pytest.mark.steps('8d', touching=depends.AUTH)
def test_registration_stores_a_hashed_password_and_a_lower_case_email(models, db, client):
    response = register(client)
    assert response.status_code == 302 and response.headers['Location'] == '/auth/login'
    [user] = db.session.scalars(db.select(models.User)).all()
    assert (user.email, user.username) == ('john@example.com', 'john')
    assert user.password_hash != 'cat' and user.verify_password('cat')
    assert 'href="/auth/register"' in client.get('/auth/login').get_data(True)


@pytest.mark.steps('8d', touching=depends.AUTH)
@pytest.mark.parametrize('fields, error', [
    ({'email': 'JOHN@example.com', 'username': 'other'}, 'Email already registered.'),
    ({'email': 'other@example.com', 'username': 'john'}, 'Username already in use.'),
    ({'email': 'other@example.com', 'username': 'other', 'password2': 'dog'},
     'Passwords must match.'),
    ({'email': 'not-an-address', 'username': 'other'}, 'Invalid email address.'),
])
def test_registration_refuses_duplicates_and_mistakes(models, db, client, fields, error):
    add_user(models, db)
    response = register(client, **fields)
    assert response.status_code == 200 and error in response.get_data(True)
    assert db.session.scalar(db.select(db.func.count()).select_from(models.User)) == 1


@pytest.mark.steps('8d', touching=depends.AUTH)
def test_usernames_follow_the_books_pattern(models, db, client):
    refused = ['1john', 'john doe', 'john-doe', '.john', 'jöhn', '<b>john']
    for number, name in enumerate(refused):
        response = register(client, email='u{}@example.com'.format(number), username=name)
        assert 'Usernames must have only letters' in response.get_data(True), name
    assert register(client, username='John.Doe_2').status_code == 302
    assert db.session.scalars(db.select(models.User.username)).all() == ['John.Doe_2']


@pytest.mark.steps('8d', touching=depends.AUTH)
def test_registration_without_a_csrf_token_stores_nothing(app, models, db, client):
    with csrf_on(app):
        response = register(client)
    assert response.status_code in (200, 400)
    assert db.session.scalar(db.select(db.func.count()).select_from(models.User)) == 0


# 8e: tokens and confirmation ---------------------------------------------------------------

@pytest.fixture
def two_users(models, db):
    return (add_user(models, db, confirmed=False),
            add_user(models, db, email='susan@example.com', username='susan',
                     confirmed=False))


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_confirmation_token_is_signed_expires_and_names_its_user(app, models, two_users):
    john, susan = two_users
    before = time.time()
    token = john.generate_confirmation_token()
    data = payload(token)  # readable by anyone: signed, not secret
    assert data['confirm'] == john.id and before + 3600 - 5 <= data['exp'] <= time.time() + 3600
    assert payload(john.generate_confirmation_token(expiration=60))['exp'] <= time.time() + 60
    assert not susan.confirm(token)  # another user's
    assert not john.confirm(tampered(token))
    assert not john.confirm(token + 'x') and not john.confirm('') and not john.confirm('a.b.c')
    assert not john.confirm(john.generate_confirmation_token(expiration=-1))  # expired
    app.config['SECRET_KEY'] = 'another key, of another site, 32 bytes long at least'
    assert not john.confirm(token)
    assert not (john.confirmed or susan.confirmed)


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_a_token_made_for_another_purpose_confirms_nothing(step_module, models, two_users):
    john, _ = two_users
    # the payload of a reset token (8g) or an email change (8h), signed with the same key
    for other in ({'reset': john.id}, {'change_email': john.id, 'new_email': 'x@example.com'}):
        assert not john.confirm(models.make_token(other, 3600))
    assert john.confirm(john.generate_confirmation_token()) and john.confirmed


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_registration_mails_a_link_that_confirms(models, db, client, outbox):
    client.get(register(client).headers['Location'])  # its flashed message shown
    [message] = outbox
    assert message.recipients == ['john@example.com']
    assert message.subject == '[Flasky] Confirm Your Account'
    [link] = re.findall(r'http://localhost/auth/confirm/\S+', message.body)
    assert link in message.html
    login(client)
    response = client.get(link, follow_redirects=True)
    assert flashed(response) == ['You have confirmed your account. Thanks!']
    assert db.session.scalar(db.select(models.User.confirmed))


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_unconfirmed_users_see_only_auth_pages_and_static_files(models, db, client, two_users):
    login(client)
    for path in ('/', '/user/john', '/no-such-page'):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers['Location'] == '/auth/unconfirmed'
    assert client.get('/static/favicon.ico').status_code == 200
    page = client.get('/auth/unconfirmed')
    assert page.status_code == 200 and 'john@example.com' in page.get_data(True)
    assert client.get('/auth/login').status_code == 200
    response = client.get('/auth/confirm/not-a-token', follow_redirects=True)
    assert flashed(response) == ['The confirmation link is invalid or has expired.']


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_confirmed_and_anonymous_users_are_not_held(models, db, client):
    assert client.get('/auth/unconfirmed').headers['Location'] == '/'
    add_user(models, db)
    login(client)
    assert client.get('/').status_code == 200
    assert client.get('/auth/unconfirmed').headers['Location'] == '/'


@pytest.mark.steps('8e', touching=depends.AUTH)
def test_resend_is_a_post_with_a_csrf_token(app, models, db, client, two_users, outbox):
    assert client.get('/auth/confirm').status_code == 405
    login(client)
    client.get('/auth/confirm')
    assert outbox == []
    with csrf_on(app):
        assert client.post('/auth/confirm').status_code == 400
        assert outbox == []
        token = pages.hidden_value(client.get('/auth/unconfirmed').get_data(True))
        response = client.post('/auth/confirm', data={'csrf_token': token},
                               follow_redirects=True)
    assert flashed(response) == ['A new confirmation email has been sent to you.']
    [message] = outbox
    assert message.recipients == ['john@example.com']
    [link] = re.findall(r'http://localhost(/auth/confirm/\S+)', message.body)
    client.get(link)
    assert client.get('/').status_code == 200


# up to 16b: from 17a the deployment walks (test_deployment) register and confirm through
# the mail on the served step, prepared by its deploy command
@pytest.mark.checkpoints('8e', '16b', chapter_ends=False)
def test_served_registration_is_confirmed_through_the_mail(step, tmp_path, mailserver, serve,
                                                           http):
    """What a newcomer does after `make run`: register on the served step, find the mail in
    scripts/mailserver, follow its absolute link, log in on the way, and be confirmed."""
    prepare_database(step, tmp_path)
    server = serve({'MAIL_PORT': str(mailserver.port)}, reload=False)
    browser = http(server.url)
    form = browser.get('/auth/register').text
    page = browser.post('/auth/register', {
        'csrf_token': pages.hidden_value(form), 'email': 'Ann@Example.com',
        'username': 'ann', 'password': 'secret', 'password2': 'secret'})
    assert urlsplit(page.url).path == '/auth/login', server.output()
    [message] = mailserver.messages()
    assert message['To'] == 'ann@example.com'
    body = message.get_body(('plain',)).get_content()
    [link] = re.findall(re.escape(server.url) + r'/auth/confirm/\S+', body)
    assert link in mailserver.output()  # shown in the learner's terminal
    page = browser.get(link[len(server.url):])  # not logged in: to the login page first
    assert urlsplit(page.url).path == '/auth/login'
    page = browser.post(page.url[len(server.url):], {
        'csrf_token': pages.hidden_value(page.text), 'email': 'ann@example.com',
        'password': 'secret'})
    assert 'You have confirmed your account. Thanks!' in page.text, server.output()
    assert pages.texts(page.text, 'h1') == ['Hello, ann!']


# 8f: password change -----------------------------------------------------------------------

def change_password(client, old=PASSWORD, new='dog', again=None):
    return client.post('/auth/change-password', data={
        'old_password': old, 'password': new, 'password2': new if again is None else again})


@pytest.mark.steps('8f', touching=depends.AUTH)
def test_password_change_needs_the_old_password(models, db, client):
    user = add_user(models, db)
    assert client.get('/auth/change-password').status_code == 302  # login first
    login(client)
    assert 'href="/auth/change-password"' in client.get('/').get_data(True)
    assert flashed(change_password(client, old='wrong')) == ['Invalid password.']
    assert 'Passwords must match.' in change_password(client, again='cow').get_data(True)
    db.session.refresh(user)
    assert user.verify_password(PASSWORD)
    response = change_password(client, new='dog')
    assert response.status_code == 302
    assert flashed(client.get('/')) == ['Your password has been updated.']
    db.session.refresh(user)
    assert user.verify_password('dog') and not user.verify_password(PASSWORD)


# 8g: password reset ------------------------------------------------------------------------

@pytest.mark.steps('8g', touching=depends.AUTH)
def test_reset_request_answers_alike_for_unknown_addresses(models, db, client, outbox):
    add_user(models, db)
    assert 'href="/auth/reset"' in client.get('/auth/login').get_data(True)
    known, unknown = (client.post('/auth/reset', data={'email': email}, follow_redirects=True)
                      for email in ('John@example.com', 'nobody@example.com'))
    assert (known.request.path, known.get_data()) == (unknown.request.path, unknown.get_data())
    assert known.request.path == '/auth/login' and len(flashed(known)) == 1
    [message] = outbox  # only the account's owner gets a mail
    assert message.recipients == ['john@example.com']
    assert re.search(r'http://localhost/auth/reset/\S+', message.body)


@pytest.mark.steps('8g', touching=depends.AUTH)
def test_reset_link_sets_a_new_password(models, db, client, outbox):
    user = add_user(models, db)
    client.post('/auth/reset', data={'email': 'john@example.com'})
    [path] = re.findall(r'http://localhost(/auth/reset/\S+)', outbox[0].body)
    form = client.get(path).get_data(True)
    assert 'name="email"' not in form  # the token names the user
    response = client.post(path, data={'password': 'dog', 'password2': 'dog'})
    assert response.headers['Location'] == '/auth/login'
    db.session.refresh(user)
    assert user.verify_password('dog')
    assert login(client, password='dog').status_code == 302
    assert client.get(path).headers['Location'] == '/'  # logged in: no reset


@pytest.mark.steps('8g', touching=depends.AUTH)
def test_reset_tokens_are_refused_when_altered_expired_or_for_confirming(models, db, client):
    user = add_user(models, db)
    User = models.User
    for token in (tampered(user.generate_reset_token()),
                  user.generate_reset_token(expiration=-1),
                  user.generate_confirmation_token()):
        assert not User.reset_password(token, 'horse')
        response = client.post('/auth/reset/' + token,
                               data={'password': 'horse', 'password2': 'horse'},
                               follow_redirects=True)
        assert flashed(response) == ['The reset link is invalid or has expired.']
    db.session.refresh(user)
    assert user.verify_password(PASSWORD)
    # and a reset token confirms nothing
    assert not user.confirm(user.generate_reset_token())


# 8h: email change --------------------------------------------------------------------------

def change_email(client, email, password=PASSWORD):
    return client.post('/auth/change-email', data={'email': email, 'password': password})


@pytest.mark.steps('8h', touching=depends.AUTH)
def test_email_change_is_confirmed_from_the_new_address(models, db, client, outbox):
    user = add_user(models, db)
    login(client)
    assert 'href="/auth/change-email"' in client.get('/').get_data(True)
    assert flashed(change_email(client, 'new@example.com', password='dog')) == [
        'Invalid email or password.']
    response = change_email(client, 'New@Example.com')
    client.get(response.headers['Location'])  # its flashed message shown
    [message] = outbox
    assert message.recipients == ['new@example.com']  # the new address, not the old
    [path] = re.findall(r'http://localhost(/auth/change-email/\S+)', message.body)
    db.session.refresh(user)
    assert user.email == 'john@example.com'  # not before the link is opened
    response = client.get(path, follow_redirects=True)
    assert flashed(response) == ['Your email address has been updated.']
    db.session.refresh(user)
    assert user.email == 'new@example.com'


@pytest.mark.steps('8h', touching=depends.AUTH)
def test_email_change_refuses_taken_addresses_and_foreign_tokens(models, db, client, outbox):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    login(client)
    response = change_email(client, 'SUSAN@example.com')
    assert 'Email already registered.' in response.get_data(True) and outbox == []
    # taken between the mail and the click
    token = john.generate_email_change_token('later@example.com')
    add_user(models, db, email='later@example.com', username='later')
    assert not john.change_email(token)
    # another user's token, an altered one, an expired one, one for another purpose
    for token in (susan.generate_email_change_token('x@example.com'),
                  tampered(john.generate_email_change_token('x@example.com')),
                  john.generate_email_change_token('x@example.com', expiration=-1),
                  john.generate_confirmation_token(), john.generate_reset_token()):
        assert not john.change_email(token)
        assert flashed(client.get('/auth/change-email/' + token, follow_redirects=True)) == [
            'Invalid request.']
    db.session.refresh(john)
    assert john.email == 'john@example.com'
