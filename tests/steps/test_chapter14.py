"""Chapter 14: the REST API under /api/v1.0. In-process, wherever a step can change it."""
import base64
import json

import pytest

import depends
from accounts import PASSWORD, add_post, add_user, csrf_on, login

API = '/api/v1.0'


def credentials(email_or_token, password=''):
    """The headers of an API call authenticated with HTTP Basic (a token has no password)."""
    pair = '{}:{}'.format(email_or_token, password).encode()
    return {'Authorization': 'Basic ' + base64.b64encode(pair).decode()}


JOHN = credentials('john@example.com', PASSWORD)


def send(client, method, url, headers=None, body=None, raw=None):
    """A call to the API; `body` is sent as JSON, `raw` as it is (with its content type)."""
    if raw is not None:
        data, content_type = raw
    else:
        data = None if body is None else json.dumps(body)
        content_type = 'application/json'
    return client.open(API + url, method=method, headers=headers or {}, data=data,
                       content_type=content_type)


def json_error(response, status):
    assert response.status_code == status, response.get_data(True)
    assert response.mimetype == 'application/json', response.get_data(True)
    return response.get_json()


# who calls: anonymous, a password, a token -------------------------------------------------

@pytest.mark.steps('14a', touching=depends.API)
def test_anonymous_callers_read_and_wrong_credentials_are_401(models, db, roles, client):
    add_post(models, db, add_user(models, db))
    assert send(client, 'GET', '/posts/').get_json()['count'] == 1
    for headers in (credentials('john@example.com', 'wrong'),
                    credentials('nobody@example.com', PASSWORD), credentials('not-a-token')):
        response = send(client, 'GET', '/posts/', headers)
        assert json_error(response, 401) == {'error': 'unauthorized',
                                             'message': 'Invalid credentials'}
        assert response.headers['WWW-Authenticate'].startswith('Basic')
    # an email in capitals is the same account; an anonymous caller may not write
    assert send(client, 'GET', '/posts/', credentials('JOHN@Example.com', PASSWORD)) \
        .status_code == 200
    response = send(client, 'POST', '/posts/', body={'body': 'anonymous'})
    assert json_error(response, 403)['message'] == 'Insufficient permissions'


@pytest.mark.steps('14a', touching=depends.API)
def test_a_token_stands_for_the_password_until_it_expires(app, models, db, roles, client):
    john = add_user(models, db)
    response = send(client, 'GET', '/token', JOHN)
    assert response.status_code == 200 and response.get_json()['expiration'] == 3600
    token = response.get_json()['token']
    response = send(client, 'POST', '/posts/', credentials(token), {'body': 'by token'})
    assert response.status_code == 201
    assert [p.body for p in john.posts] == ['by token']
    # a token does not buy another token: it would never have to expire
    assert json_error(send(client, 'GET', '/token', credentials(token)), 401)
    response = send(client, 'GET', '/token')  # nor does being anonymous
    assert json_error(response, 401) and response.headers['WWW-Authenticate'].startswith('Basic')
    tampered = token[:-4] + ('AAAA' if not token.endswith('AAAA') else 'BBBB')
    with app.test_request_context():
        expired = john.generate_auth_token(expiration=-10)
        # a token made for another purpose, for the same user, is no key to the API
        confirmation = john.generate_confirmation_token()
    for bad in (tampered, expired, confirmation, token + 'x'):
        assert json_error(send(client, 'GET', '/posts/', credentials(bad)), 401), bad
    assert models.User.verify_auth_token(token) == john
    assert models.User.verify_auth_token(confirmation) is None


@pytest.mark.steps('14a', touching=depends.API)
def test_an_unconfirmed_account_gets_403(models, db, roles, client):
    add_user(models, db, confirmed=False)
    response = send(client, 'GET', '/posts/', JOHN)
    assert json_error(response, 403)['message'] == 'Unconfirmed account'
    # logged in on the site as well: the API answers, it does not redirect to a page
    login(client)
    response = send(client, 'GET', '/posts/')
    assert response.status_code == 200 and response.get_json()['posts'] == []
    assert json_error(send(client, 'GET', '/no/such/route'), 404)


@pytest.mark.steps('14a', touching=depends.API)
def test_a_session_cookie_alone_authenticates_no_api_call(app, models, db, roles, client):
    john = add_user(models, db)
    login(client)  # the browser's session cookie is now sent with every request
    response = send(client, 'POST', '/posts/', body={'body': 'through the cookie'})
    assert json_error(response, 403)['message'] == 'Insufficient permissions'
    assert john.posts.count() == 0
    # the API takes no CSRF token: its credentials come with each call, not from a cookie
    with csrf_on(app):
        assert send(client, 'POST', '/posts/', JOHN, {'body': 'with credentials'}) \
            .status_code == 201


# errors: JSON, with their status ------------------------------------------------------------

@pytest.mark.fresh_app  # it adds a route
@pytest.mark.steps('14a', touching=depends.API)
def test_every_error_answers_json_with_its_status(app, models, db, roles, client):
    def boom():
        raise RuntimeError('a bug')

    # a view of the API that fails: a 500 answered by the application, not a traceback
    app.add_url_rule(API + '/boom', 'api.boom', boom)
    app.testing = False
    app.config['PROPAGATE_EXCEPTIONS'] = False
    add_user(models, db)
    errors = {
        400: send(client, 'POST', '/posts/', JOHN, raw=('{"body": ', 'application/json')),
        401: send(client, 'GET', '/posts/', credentials('john@example.com', 'wrong')),
        403: send(client, 'POST', '/posts/', body={'body': 'anonymous'}),
        404: send(client, 'GET', '/posts/12345'),
        405: send(client, 'DELETE', '/posts/'),
        500: send(client, 'GET', '/boom'),
    }
    for status, response in errors.items():
        body = json_error(response, status)
        assert set(body) == {'error', 'message'} and body['message'], (status, body)
    # a 405 says which methods the address takes
    assert set(errors[405].headers['Allow'].split(', ')) == {'GET', 'HEAD', 'OPTIONS', 'POST'}
    assert json_error(send(client, 'GET', '/no/such/route'), 404)['error'] == 'not found'


@pytest.mark.fresh_app  # it adds a route
@pytest.mark.steps('14a', touching=depends.API)
def test_the_sites_404_and_500_answer_json_to_a_client_that_takes_only_json(app, client):
    def boom():
        raise RuntimeError('a bug')

    app.add_url_rule('/boom', 'boom', boom)  # a page of the site, not of the API
    app.testing = False
    app.config['PROPAGATE_EXCEPTIONS'] = False
    only_json = {'Accept': 'application/json'}
    browser = {'Accept': 'text/html,*/*;q=0.8'}
    for url, status, error in (('/no-such-page', 404, 'not found'),
                               ('/boom', 500, 'internal server error')):
        assert json_error(client.get(url, headers=only_json), status)['error'] == error
        page = client.get(url, headers=browser)
        assert page.status_code == status and page.mimetype == 'text/html'
        assert client.get(url).mimetype == 'text/html'  # curl's */*: the page


BAD_BODIES = [
    ('{"body": ', 'application/json'),     # not JSON
    ('', 'application/json'),              # nothing
    ('body=hello', 'application/x-www-form-urlencoded'),  # a form, not JSON
    ('["body"]', 'application/json'),      # JSON, not an object
    ('null', 'application/json'),
    ('{}', 'application/json'),            # no body
    ('{"body": ""}', 'application/json'),
    ('{"body": 3}', 'application/json'),   # a body that is not text
    ('{"body": ["x"]}', 'application/json'),
]


@pytest.mark.steps('14a', touching=depends.API)
def test_a_bad_body_is_400_with_a_message_never_500(models, db, roles, client):
    post = add_post(models, db, add_user(models, db))
    for method, url in (('POST', '/posts/'), ('PUT', '/posts/{}'.format(post.id)),
                        ('POST', '/posts/{}/comments/'.format(post.id))):
        for raw in BAD_BODIES:
            body = json_error(send(client, method, url, JOHN, raw=raw), 400)
            assert body['error'] == 'bad request' and body['message'], (method, url, raw)
    assert [p.body for p in db.session.scalars(db.select(models.Post))] == ['A post']
    assert post.comments.count() == 0


# posts, users, comments ---------------------------------------------------------------------

@pytest.mark.steps('14a', touching=depends.API)
def test_posts_are_listed_a_page_at_a_time_with_absolute_addresses(app, models, db, roles,
                                                                  client):
    app.config['FLASKY_POSTS_PER_PAGE'] = 2
    john = add_user(models, db)
    for n in range(5):
        add_post(models, db, john, 'post {}'.format(n))
    first = send(client, 'GET', '/posts/').get_json()
    assert first['count'] == 5 and first['prev'] is None
    assert first['next'] == 'http://localhost/api/v1.0/posts/?page=2'
    pages = [first]
    while pages[-1]['next']:
        pages.append(client.get(pages[-1]['next']).get_json())
    assert len(pages) == 3 and pages[-1]['prev'] == 'http://localhost/api/v1.0/posts/?page=2'
    bodies = [p['body'] for page in pages for p in page['posts']]
    assert sorted(bodies) == ['post {}'.format(n) for n in range(5)]
    post = pages[0]['posts'][0]
    assert set(post) == {'url', 'body', 'body_html', 'timestamp', 'author_url',
                         'comments_url', 'comment_count'}
    for key in ('url', 'author_url', 'comments_url'):
        assert post[key].startswith('http://localhost/api/v1.0/'), post
    assert client.get(post['url']).get_json() == post
    assert client.get(post['author_url']).get_json()['username'] == 'john'
    assert post['timestamp'].endswith('Z')
    # past the last page: an empty list, not an error; a page too large for SQLite, too
    for page in ('4', '99999999999999999999'):
        assert send(client, 'GET', '/posts/?page=' + page).get_json()['posts'] == []


@pytest.mark.steps('14a', touching=depends.API)
def test_a_new_post_is_201_at_its_location_and_its_markdown_sanitised(models, db, roles,
                                                                     client):
    john = add_user(models, db)
    response = send(client, 'POST', '/posts/', JOHN,
                    {'body': '*hi* <script>alert(1)</script>', 'author_url': 'ignored'})
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers['Location'] == created['url']
    assert created['body_html'] == '<p><em>hi</em> </p>'
    assert client.get(response.headers['Location']).get_json() == created
    [post] = john.posts.all()
    assert post.author == john and created['url'].endswith('/posts/{}'.format(post.id))


@pytest.mark.steps('14a', touching=depends.API)
def test_only_the_author_or_an_administrator_edits_a_post(models, db, roles, client):
    john = add_user(models, db)
    add_user(models, db, email='susan@example.com', username='susan')
    add_user(models, db, email='admin@example.com', username='admin',
             role=roles['Administrator'])
    post = add_post(models, db, john, 'first')
    url = '/posts/{}'.format(post.id)
    response = send(client, 'PUT', url, credentials('susan@example.com', PASSWORD),
                    {'body': 'by susan'})
    assert json_error(response, 403)['message'] == 'Insufficient permissions'
    assert send(client, 'PUT', url, body={'body': 'anonymous'}).status_code == 403
    assert send(client, 'PUT', url, JOHN, {'body': 'by john'}).get_json()['body'] == 'by john'
    response = send(client, 'PUT', url, credentials('admin@example.com', PASSWORD),
                    {'body': 'by the admin'})
    assert response.status_code == 200 and post.body == 'by the admin'
    assert send(client, 'PUT', '/posts/999', JOHN, {'body': 'x'}).status_code == 404


@pytest.mark.steps('14a', touching=depends.API)
def test_users_their_posts_and_their_timeline(app, models, db, roles, client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    for author in (john, susan, susan):
        add_post(models, db, author, 'by ' + author.username)
    john.follow(susan)
    db.session.commit()
    user = send(client, 'GET', '/users/{}'.format(susan.id)).get_json()
    assert user['username'] == 'susan' and user['post_count'] == 2
    assert 'email' not in user and not any('password' in key for key in user)
    posts = client.get(user['posts_url']).get_json()
    assert [p['body'] for p in posts['posts']] == ['by susan', 'by susan']
    timeline = send(client, 'GET', '/users/{}/timeline/'.format(john.id)).get_json()
    # from 12e users follow themselves: their own posts are in the timeline too
    expected = ['by susan', 'by susan'] + (['by john'] if john.is_following(john) else [])
    assert sorted(p['body'] for p in timeline['posts']) == sorted(expected)
    assert send(client, 'GET', '/users/999').status_code == 404
    assert send(client, 'GET', '/users/999/timeline/').status_code == 404


@pytest.mark.steps('14a', touching=depends.API)
def test_comments_listed_read_and_written(models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john)
    url = '/posts/{}/comments/'.format(post.id)
    response = send(client, 'POST', url, JOHN, {'body': 'first **comment**'})
    assert response.status_code == 201
    created = response.get_json()
    assert response.headers['Location'] == created['url']
    assert created['body_html'] == 'first <strong>comment</strong>'
    assert created['post_url'].endswith('/posts/{}'.format(post.id))
    hidden = models.Comment(body='rude', post=post, author=john, disabled=True)
    db.session.add(hidden)
    db.session.commit()
    listed = send(client, 'GET', url).get_json()
    assert listed['count'] == 2 and [c['body'] for c in listed['comments']] == [
        'first **comment**', None]  # a disabled comment's text is kept back
    assert send(client, 'GET', '/comments/').get_json()['count'] == 2
    assert send(client, 'GET', '/comments/{}'.format(hidden.id)).get_json()['disabled'] is True
    assert send(client, 'POST', url, body={'body': 'anonymous'}).status_code == 403
    assert send(client, 'POST', '/posts/999/comments/', JOHN, {'body': 'x'}).status_code == 404
    assert send(client, 'GET', '/comments/999').status_code == 404


@pytest.mark.steps('14a', touching=depends.API)
def test_no_answer_holds_a_password_hash(models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john)
    send(client, 'POST', '/posts/{}/comments/'.format(post.id), JOHN, {'body': 'c'})
    answers = [send(client, 'GET', url, JOHN).get_data(True) for url in (
        '/posts/', '/posts/{}'.format(post.id), '/users/{}'.format(john.id),
        '/users/{}/posts/'.format(john.id), '/users/{}/timeline/'.format(john.id),
        '/comments/', '/posts/{}/comments/'.format(post.id), '/token')]
    for answer in answers:
        assert john.password_hash not in answer and 'password' not in answer.lower()
        assert john.email not in answer
