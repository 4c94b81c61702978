"""Chapter 10: profile pages, last_seen, the two profile editors, avatars and their cached
hash. In-process, wherever a step can change them."""
import hashlib
from datetime import timedelta

import pytest

import depends
import pages
from accounts import add_user, csrf_on, login

HTML = '<b>bold</b><script>alert(1)</script>'


def as_admin(app, models, db, client):
    """A second user, the administrator through FLASKY_ADMIN, logged in."""
    app.config['FLASKY_ADMIN'] = 'boss@example.com'
    boss = add_user(models, db, email='boss@example.com', username='boss')
    login(client, email='boss@example.com')
    return boss


# 10a: the profile page and last_seen --------------------------------------------------------

@pytest.mark.steps('10a', touching=depends.PROFILES)
def test_profile_page_shows_the_user_escaped_and_404_for_an_unknown_name(models, db, roles,
                                                                          client):
    add_user(models, db, name=HTML, location='Rio & <Niterói>', about_me=HTML)
    page = client.get('/user/john')
    html = page.get_data(True)
    assert page.status_code == 200 and 'john' in pages.headings(page)[0]
    assert '<script>alert(1)' not in html and '&lt;script&gt;alert(1)' in html
    assert 'https://maps.google.com/?q=Rio%20%26%20%3CNiter%C3%B3i%3E' in html
    assert 'mailto:' not in html  # the email is for administrators only
    assert client.get('/user/nobody').status_code == 404


@pytest.mark.steps('10a', touching=depends.PROFILES)
def test_the_navbar_links_a_logged_in_user_to_the_profile(models, db, roles, client):
    add_user(models, db)
    assert '/user/john' not in client.get('/').get_data(True)
    login(client)
    links = [a.get('href') for a in pages.tags(client.get('/').get_data(True), 'a')]
    assert '/user/john' in links


@pytest.mark.steps('10a', touching=depends.PROFILES)
def test_each_request_of_a_logged_in_user_updates_last_seen(models, db, roles, client):
    user = add_user(models, db)
    now = models.utcnow()
    assert user.member_since.tzinfo is None  # naive UTC, as the database keeps it
    assert abs((user.member_since - now).total_seconds()) < 5
    user.last_seen = now - timedelta(hours=1)
    db.session.commit()
    client.get('/')  # a visitor's request changes no user
    db.session.refresh(user)
    assert user.last_seen == now - timedelta(hours=1)
    login(client)
    client.get('/')
    db.session.refresh(user)
    assert abs((user.last_seen - models.utcnow()).total_seconds()) < 5


# 10b: the profile editors -------------------------------------------------------------------

@pytest.mark.steps('10b', touching=depends.PROFILES)
def test_a_user_edits_their_own_profile_prefilled(models, db, roles, client):
    user = add_user(models, db, name='John', location='Lisbon')
    assert client.get('/edit-profile').headers['Location'].startswith('/auth/login')
    login(client)
    form = client.get('/edit-profile').get_data(True)
    assert 'value="John"' in form and 'value="Lisbon"' in form
    profile = client.get('/user/john').get_data(True)
    assert 'href="/edit-profile"' in profile and '/edit-profile/' not in profile
    response = client.post('/edit-profile', data={'name': 'Johnny', 'location': 'Porto',
                                                  'about_me': 'Hi'})
    assert response.headers['Location'] == '/user/john'
    db.session.refresh(user)
    assert (user.name, user.location, user.about_me) == ('Johnny', 'Porto', 'Hi')
    too_long = client.post('/edit-profile', data={'name': 'x' * 65, 'location': 'Faro',
                                                  'about_me': ''})
    assert too_long.status_code == 200
    assert pages.hidden_value(too_long.get_data(True), 'location') == 'Faro'  # kept
    db.session.refresh(user)
    assert user.name == 'Johnny'


@pytest.mark.steps('10b', touching=depends.PROFILES)
def test_only_administrators_open_the_admin_editor(app, models, db, roles, client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    url = '/edit-profile/{}'.format(susan.id)
    assert client.get(url).headers['Location'].startswith('/auth/login')  # a visitor
    login(client)  # a normal user, on another's profile and on their own
    assert client.get(url).status_code == 403
    assert client.post(url, data={'email': 'x@example.com', 'username': 'x',
                                  'role': roles['Administrator'].id}).status_code == 403
    assert client.get('/edit-profile/{}'.format(john.id)).status_code == 403
    assert '/edit-profile/' not in client.get('/user/susan').get_data(True)
    db.session.refresh(susan)
    assert susan.email == 'susan@example.com' and susan.role.name == 'User'
    client.get('/auth/logout')
    as_admin(app, models, db, client)
    page = client.get(url)
    assert page.status_code == 200 and 'value="susan@example.com"' in page.get_data(True)
    assert 'href="{}"'.format(url) in client.get('/user/susan').get_data(True)
    assert client.get('/edit-profile/9999').status_code == 404


def admin_edit(client, user, **changes):
    data = {'email': user.email, 'username': user.username, 'role': user.role_id,
            'name': '', 'location': '', 'about_me': ''}
    data.update(changes)
    return client.post('/edit-profile/{}'.format(user.id), data=data)


@pytest.mark.steps('10b', touching=depends.PROFILES)
def test_admin_editor_refuses_another_users_email_or_username(app, models, db, roles, client):
    john = add_user(models, db)
    as_admin(app, models, db, client)
    for changes, error in (({'email': 'BOSS@example.com'}, 'Email already registered.'),
                           ({'username': 'boss'}, 'Username already in use.')):
        response = admin_edit(client, john, **changes)
        assert response.status_code == 200 and error in response.get_data(True)
        # the refused form shows what was typed, not the profile as it was
        [(field, typed)] = changes.items()
        assert pages.hidden_value(response.get_data(True), field) == typed
    db.session.refresh(john)
    assert (john.email, john.username) == ('john@example.com', 'john')
    # the user's own email and username are no conflict
    response = admin_edit(client, john, role=roles['Moderator'].id, confirmed='y',
                          name='J', location='Oslo')
    assert response.headers['Location'] == '/user/john'
    db.session.refresh(john)
    assert (john.role.name, john.name, john.location) == ('Moderator', 'J', 'Oslo')
    response = admin_edit(client, john, email='Johnny@Example.com', username='johnny')
    assert response.headers['Location'] == '/user/johnny'
    db.session.refresh(john)
    assert (john.email, john.username) == ('johnny@example.com', 'johnny')


@pytest.mark.steps('10b', touching=depends.PROFILES)
def test_profile_edits_need_a_csrf_token(app, models, db, roles, client):
    john = add_user(models, db)
    as_admin(app, models, db, client)
    with csrf_on(app):
        assert client.post('/edit-profile', data={'name': 'X'}).status_code in (200, 400)
        assert admin_edit(client, john, name='X').status_code in (200, 400)
    db.session.refresh(john)
    assert john.name is None
    assert db.session.scalar(db.select(models.User.name).filter_by(username='boss')) is None


# 10c-10d: avatars ---------------------------------------------------------------------------

def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.steps('10c', touching=depends.PROFILES)
def test_avatars_come_from_gravatar_over_https_by_the_sha256_of_the_address(models, db, roles,
                                                                            client):
    add_user(models, db)
    # the address in lower case is hashed
    user = add_user(models, db, email='Dave@Example.com', username='dave')
    assert user.gravatar() == 'https://www.gravatar.com/avatar/{}?s=100&d=identicon&r=g'.format(
        sha256('dave@example.com'))
    assert user.gravatar(size=40, default='retro', rating='pg').endswith('?s=40&d=retro&r=pg')
    login(client)
    images = {attrs['src']: attrs for attrs in
              pages.tags(client.get('/user/john').get_data(True), 'img')}
    # width and height: the layout holds when the picture cannot load (offline)
    for size in ('256', '18'):
        [src] = [src for src in images if src.endswith('?s={}&d=identicon&r=g'.format(size))]
        assert src.startswith('https://') and images[src]['width'] == size
        assert images[src]['height'] == size and images[src]['alt'] == ''


@pytest.mark.steps('10d', touching=depends.PROFILES)
def test_avatar_hash_is_cached_and_follows_the_email(app, models, db, roles, client,
                                                     monkeypatch):
    john = add_user(models, db)
    assert john.avatar_hash == sha256('john@example.com')
    # the cached hash is used as it is: no hashing per picture
    expected = sha256('john@example.com')
    monkeypatch.setattr(models.hashlib, 'sha256', None)
    assert expected in john.gravatar()
    monkeypatch.undo()
    assert john.change_email(john.generate_email_change_token('new@example.com'))
    assert john.avatar_hash == sha256('new@example.com')
    db.session.commit()
    as_admin(app, models, db, client)
    admin_edit(client, john, email='Other@Example.com')
    db.session.refresh(john)
    assert john.avatar_hash == sha256('other@example.com')
    john.avatar_hash = None  # a user from before 10d's migration
    assert sha256('other@example.com') in john.gravatar()


@pytest.mark.steps('10d', touching=depends.PROFILES)
def test_the_cached_hash_fits_its_column(models):
    assert models.User.__table__.c.avatar_hash.type.length >= len(sha256('x')) == 64
