"""Chapter 11: posts on the index and the profile, fake data, pagination, Markdown made safe,
permalinks and the post editor. In-process, wherever a step can change them."""
import hashlib
import sqlite3
from datetime import timedelta

import pytest
import werkzeug.security

import depends
import pages
from accounts import PASSWORD, add_post, add_user, csrf_on, login
from support import prepare_database, steplib


def count_posts(models, db):
    return db.session.scalar(db.select(db.func.count()).select_from(models.Post))


# 11a: posts on the index ---------------------------------------------------------------------

@pytest.mark.steps('11a', touching=depends.POSTS)
def test_a_user_who_may_write_posts_from_the_index(models, db, roles, client):
    john = add_user(models, db)
    login(client)
    assert 'name="body"' in client.get('/').get_data(True)
    response = client.post('/', data={'body': 'My <b>first</b> post'})
    assert response.status_code == 302 and response.headers['Location'] == '/'
    [post] = db.session.scalars(db.select(models.Post)).all()
    assert post.author == john and john.posts.count() == 1
    assert abs((post.timestamp - models.utcnow()).total_seconds()) < 5
    empty = client.post('/', data={'body': ''})
    assert empty.status_code == 200 and count_posts(models, db) == 1


@pytest.mark.steps('11a', touching=depends.POSTS)
def test_the_index_lists_posts_newest_first_escaped_with_their_authors(models, db, roles,
                                                                        client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    now = models.utcnow()
    add_post(models, db, john, 'older', timestamp=now - timedelta(hours=2))
    add_post(models, db, susan, '<script>alert(1)</script>', timestamp=now)
    add_post(models, db, john, 'middle', timestamp=now - timedelta(hours=1))
    response = client.get('/')
    html = response.get_data(True)
    bodies = pages.post_bodies(response)
    # the tests of 11f on show body_html, so only the order and the escaping are checked here
    assert [b for b in bodies if b in ('older', 'middle')] == ['middle', 'older']
    assert len(bodies) == 3 and '<script>alert(1)' not in html
    links = [a.get('href') for a in pages.tags(html, 'a')]
    assert '/user/susan' in links and '/user/john' in links


@pytest.mark.steps('11a', touching=depends.POSTS)
def test_visitors_and_users_who_may_not_write_get_no_form_and_cannot_post(models, db, roles,
                                                                          client):
    assert 'name="body"' not in client.get('/').get_data(True)
    client.post('/', data={'body': 'anonymous'})
    assert count_posts(models, db) == 0
    user = add_user(models, db)
    silent = models.Role(name='Reader', permissions=models.Permission.FOLLOW)
    user.role = silent
    db.session.commit()
    login(client)
    assert 'name="body"' not in client.get('/').get_data(True)
    client.post('/', data={'body': 'refused'})
    assert count_posts(models, db) == 0


@pytest.mark.steps('11a', touching=depends.POSTS)
def test_posting_needs_a_csrf_token(app, models, db, roles, client):
    add_user(models, db)
    login(client)
    with csrf_on(app):
        assert client.post('/', data={'body': 'forged'}).status_code in (200, 400)
        token = pages.hidden_value(client.get('/').get_data(True))
        assert client.post('/', data={'body': 'mine', 'csrf_token': token}).status_code == 302
    assert [p.body for p in db.session.scalars(db.select(models.Post))] == ['mine']


# 11b: the profile lists the user's posts with the same template -----------------------------

def post_list(response):
    """The page's list of posts, as HTML."""
    html = response.get_data(True)
    start = html.index('<ul class="posts">')
    return html[start:html.index('</ul>', start)]


@pytest.mark.steps('11b', touching=depends.POSTS)
def test_the_profile_lists_the_users_own_posts_as_the_index_does(models, db, roles, client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    add_post(models, db, john, 'by john')
    assert 'by john' in post_list(client.get('/user/john'))
    # one template for both pages: the same markup for the same post
    assert post_list(client.get('/user/john')) == post_list(client.get('/'))
    add_post(models, db, susan, 'by susan')
    assert pages.post_bodies(client.get('/user/john')) == ['by john']
    assert pages.post_bodies(client.get('/user/susan')) == ['by susan']
    assert sorted(pages.post_bodies(client.get('/'))) == ['by john', 'by susan']


# 11c: fake data -----------------------------------------------------------------------------

@pytest.mark.steps('11c', touching=('app/models.py#User.generate_fake',
                                    'app/models.py#Post.generate_fake'))
def test_fake_users_and_posts_are_made_again_alike_from_a_seed(models, db, roles):
    models.User.generate_fake(20, seed=7)
    users = db.session.scalars(db.select(models.User).order_by(models.User.id)).all()
    assert 15 <= len(users) <= 20  # a made-up name already taken is skipped
    assert len({u.email for u in users}) == len(users) and all(u.confirmed for u in users)
    assert all(u.role.name == 'User' and u.avatar_hash for u in users)
    # one password for them all, so that a learner can log in as any of them
    assert users[0].verify_password('password') and users[-1].verify_password('password')
    year_ago = models.utcnow() - timedelta(days=366)
    assert all(year_ago < u.member_since <= models.utcnow() for u in users)
    models.Post.generate_fake(30, seed=7)
    posts = db.session.scalars(db.select(models.Post).order_by(models.Post.id)).all()
    assert len(posts) == 30 and all(p.body and p.author in users for p in posts)
    assert len({p.author for p in posts}) > 5  # spread over the users
    made = [(u.username, u.email, u.name, u.location, u.about_me) for u in users]
    bodies = [(p.body, p.author.username) for p in posts]
    # the same seed again: the same users, each of them already there, so none is added
    models.User.generate_fake(20, seed=7)
    assert db.session.scalar(db.select(db.func.count()).select_from(models.User)) == len(users)
    db.drop_all()
    db.create_all()
    models.Role.insert_roles()
    models.User.generate_fake(20, seed=7)
    models.Post.generate_fake(30, seed=7)
    again = db.session.scalars(db.select(models.User).order_by(models.User.id)).all()
    assert [(u.username, u.email, u.name, u.location, u.about_me) for u in again] == made
    assert [(p.body, p.author.username) for p in db.session.scalars(
        db.select(models.Post).order_by(models.Post.id))] == bodies
    models.User.generate_fake(5)  # without a seed: other users
    assert db.session.scalar(db.select(db.func.count()).select_from(models.User)) > len(users)
    db.drop_all()
    db.create_all()
    with pytest.raises(ValueError, match='no users to write the posts'):
        models.Post.generate_fake(3)


@pytest.mark.steps('11c', touching=('app/models.py#User.generate_fake',))
def test_fake_users_skip_a_taken_email_or_username_and_go_on(models, db, roles, monkeypatch):
    import faker
    emails = iter(['john@example.com', 'susan@example.com', 'david@example.com'])
    names = iter(['johnny', 'susan', 'john'])
    add_user(models, db)
    monkeypatch.setattr(faker.Faker, 'email', lambda self: next(emails), raising=False)
    monkeypatch.setattr(faker.Faker, 'user_name', lambda self: next(names), raising=False)
    models.User.generate_fake(3, seed=1)
    # the 1st has john's email, the 3rd his username: both skipped, the 2nd added between
    users = db.session.scalars(db.select(models.User).order_by(models.User.id)).all()
    assert [(u.username, u.email) for u in users] == [('john', 'john@example.com'),
                                                      ('susan', 'susan@example.com')]


# 11d: pagination ----------------------------------------------------------------------------

def add_posts(models, db, author, count):
    """`count` posts, 'post 1' the oldest, one minute apart."""
    now = models.utcnow()
    db.session.add_all([models.Post(body='post {}'.format(i), author=author,
                                    timestamp=now - timedelta(minutes=count - i))
                        for i in range(1, count + 1)])
    db.session.commit()


def page_links(response):
    """The pagination widget's links: {text: href}."""
    html = response.get_data(True)
    if '<ul class="pagination">' not in html:
        return {}
    start = html.index('<ul class="pagination">')
    widget = html[start:html.index('</ul>', start)]
    return {text: attrs['href'] for (tag, attrs, text) in pages.parse(widget).texts
            if tag == 'a'}


@pytest.mark.steps('11d', touching=depends.POSTS)
def test_the_index_shows_a_page_of_posts_at_a_time(app, models, db, roles, client):
    assert app.config['FLASKY_POSTS_PER_PAGE'] == 20
    add_posts(models, db, add_user(models, db), 45)
    first = client.get('/')
    assert pages.post_bodies(first) == ['post {}'.format(i) for i in range(45, 25, -1)]
    assert page_links(first) == {'1': '/?page=1', '2': '/?page=2', '3': '/?page=3',
                                 '»': '/?page=2'}  # no link back from the first page
    second = client.get('/?page=2')
    assert pages.post_bodies(second)[0] == 'post 25' and len(pages.post_bodies(second)) == 20
    assert page_links(second)['«'] == '/?page=1' and page_links(second)['»'] == '/?page=3'
    assert pages.post_bodies(client.get('/?page=3')) == ['post {}'.format(i) for i in range(5, 0, -1)]
    assert '»' not in page_links(client.get('/?page=3'))
    app.config['FLASKY_POSTS_PER_PAGE'] = 50
    assert len(pages.post_bodies(client.get('/'))) == 45 and page_links(client.get('/')) == {}


@pytest.mark.steps('11d', touching=depends.POSTS)
def test_a_page_that_is_not_there_is_404_and_a_page_that_is_no_number_the_first(models, db,
                                                                                roles, client):
    assert client.get('/').status_code == 200  # no posts yet: an empty first page
    add_posts(models, db, add_user(models, db), 25)
    for page in ('3', '0', '-1', '99999999999999999999'):
        assert client.get('/?page=' + page).status_code == 404, page
        assert client.get('/user/john?page=' + page).status_code == 404, page
    for page in ('abc', '1e3', '', '2.5'):
        response = client.get('/?page=' + page)
        assert response.status_code == 200 and pages.post_bodies(response)[0] == 'post 25', page


@pytest.mark.steps('11d', touching=depends.POSTS)
def test_the_profile_pages_the_users_posts_keeping_the_username(app, models, db, roles,
                                                                client):
    app.config['FLASKY_POSTS_PER_PAGE'] = 10
    add_posts(models, db, add_user(models, db), 12)
    add_posts(models, db, add_user(models, db, email='susan@example.com', username='susan'), 3)
    profile = client.get('/user/john')
    assert len(pages.post_bodies(profile)) == 10
    assert page_links(profile)['2'] == '/user/john?page=2'
    assert pages.post_bodies(client.get('/user/john?page=2')) == ['post 2', 'post 1']
    assert page_links(client.get('/user/susan')) == {}


# 11e: Markdown with a live preview ----------------------------------------------------------

PAGEDOWN = ('app/main/forms.py#PostForm', 'app/templates/index.html', 'app/__init__.py',
            'app/static/Markdown.Converter.js', 'app/static/Markdown.Sanitizer.js')


@pytest.mark.steps('11e', touching=PAGEDOWN)
def test_the_post_form_has_a_preview_whose_scripts_the_app_serves(models, db, roles, client):
    add_user(models, db)
    login(client)
    html = client.get('/').get_data(True)
    [textarea] = [t for t in pages.tags(html, 'textarea') if t.get('name') == 'body']
    assert textarea['id'] == 'flask-pagedown-body'
    assert 'id="flask-pagedown-body-preview"' in html
    scripts = [s['src'] for s in pages.tags(html, 'script') if s.get('src')]
    pagedown = [s for s in scripts if 'Markdown.' in s]
    assert [s.rsplit('/', 1)[1] for s in pagedown] == ['Markdown.Converter.js',
                                                        'Markdown.Sanitizer.js']
    # after jQuery and Bootstrap, from this app: the preview works offline
    assert scripts.index(pagedown[0]) > 1 and not any(pages.is_remote(s) for s in pagedown)
    for src in pagedown:
        assert client.get(src).status_code == 200


# a browser costs seconds: where the preview comes in (later steps' pages are checked for
# their scripts in-process, above, and by the offline test)
@pytest.mark.steps('11e', '11e')
def test_the_browser_previews_the_markdown_as_it_is_typed(step, step_module, tmp_path, serve,
                                                          browser):
    prepare_database(step, tmp_path)  # as `make run` does: tables and roles
    manage = step_module('manage')
    with manage.app.app_context():
        add_user(step_module('app.models'), manage.db)
    url = serve(reload=False).url
    browser.open(url + '/auth/login')
    browser.fill('email', 'john@example.com')
    browser.fill('password', PASSWORD)
    browser.submit()
    browser.fill('body', 'Some **bold** text\n\n* one\n* two')
    preview = browser.find('#flask-pagedown-body-preview')
    html = browser.wait_until(lambda b: '<li>two</li>' in preview.get_attribute('innerHTML')
                              and preview.get_attribute('innerHTML'), message='the preview')
    assert '<strong>bold</strong>' in html and '<ul>' in html
    # PageDown's own sanitiser keeps a script out of the preview
    browser.fill('body', 'x <script>document.title = "owned"</script> <img src=x onerror=1>')
    browser.wait_until(lambda b: 'x' in preview.text, message='the new preview')
    assert '<script' not in preview.get_attribute('innerHTML')
    assert 'onerror' not in preview.get_attribute('innerHTML')
    errors = [line for line in browser.console().splitlines()
              if 'SEVERE' in line and 'gravatar.com' not in line]  # offline: no avatars
    assert browser.title != 'owned' and errors == []


# 11f: Markdown rendered and sanitised on the server (the stored XSS payloads: tests/security)

SANITISER = ('app/models.py#Post.on_changed_body', 'app/models.py#Post.body_html',
             'app/templates/_posts.html', 'requirements/common.txt')


@pytest.mark.steps('11f', touching=SANITISER)
def test_ordinary_markdown_renders_and_bare_urls_become_links(models, db, roles, client):
    john = add_user(models, db)
    login(client)
    body = ('# Title\n\nSome **bold** and *em*, `a <b> c`:\n\n* one\n* two\n\nThen\n\n'
            '1. first\n\n> quoted\n\n[a link](https://example.com/x) and '
            'https://flask.palletsprojects.com/ too\n\n    code <x>\n')
    client.post('/', data={'body': body})
    [post] = db.session.scalars(db.select(models.Post)).all()
    html = post.body_html
    for fragment in ('<h1>Title</h1>', '<strong>bold</strong>', '<em>em</em>',
                     '<code>a &lt;b&gt; c</code>', '<li>one</li>', '<ol>', '<blockquote>',
                     '<pre><code>code &lt;x&gt;'):
        assert fragment in html, fragment
    links = {a['href']: a for a in pages.tags(html, 'a')}
    assert set(links) == {'https://example.com/x', 'https://flask.palletsprojects.com/'}
    assert all('nofollow' in a['rel'].split() for a in links.values())
    assert html in client.get('/').get_data(True)  # the page shows it as HTML
    # body_html follows the body whenever it is set
    post.body = 'now *changed*'
    db.session.commit()
    assert post.body_html == '<p>now <em>changed</em></p>' and john.posts.count() == 1


@pytest.mark.steps('11f', touching=SANITISER)
def test_a_post_from_before_body_html_shows_its_text_escaped(models, db, roles, client):
    post = add_post(models, db, add_user(models, db), '<b>old</b> post')
    db.session.execute(db.update(models.Post).values(body_html=None))  # as after the upgrade
    db.session.commit()
    html = client.get('/').get_data(True)
    assert '&lt;b&gt;old&lt;/b&gt; post' in html and post.id


# 11g: permalinks ----------------------------------------------------------------------------

@pytest.mark.steps('11g', touching=depends.POSTS)
def test_each_post_has_a_permanent_page_and_a_missing_one_is_404(models, db, roles, client):
    john = add_user(models, db)
    first = add_post(models, db, john, 'the *first*')
    second = add_post(models, db, john, 'the second')
    page = client.get('/post/{}'.format(first.id))
    assert page.status_code == 200 and '<title>Flasky - Post</title>' in page.get_data(True)
    assert pages.post_bodies(page) == ['the first'] and '<em>first</em>' in page.get_data(True)
    for url in ('/', '/user/john', '/post/{}'.format(second.id)):
        links = [a['href'] for a in pages.tags(client.get(url).get_data(True), 'a')]
        assert ('/post/{}'.format(second.id) in links) and (
            url == '/post/{}'.format(second.id) or '/post/{}'.format(first.id) in links), url
    assert client.get('/post/{}'.format(second.id + 1)).status_code == 404
    assert client.get('/post/abc').status_code == 404


# 11h: the post editor -----------------------------------------------------------------------

def edit_links(client, url):
    """The links to the post editor on a page."""
    return [a['href'] for a in pages.tags(client.get(url).get_data(True), 'a')
            if a.get('href', '').startswith('/edit/')]


@pytest.mark.steps('11h', touching=depends.POSTS)
def test_the_author_edits_a_post_in_a_prefilled_form(models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john, 'first **draft**')
    url = '/edit/{}'.format(post.id)
    assert client.get(url).headers['Location'].startswith('/auth/login')  # a visitor
    login(client)
    assert edit_links(client, '/post/{}'.format(post.id)) == [url]
    form = client.get(url).get_data(True)
    assert '<title>Flasky - Edit Post</title>' in form
    assert '>\r\nfirst **draft**</textarea>' in form  # WTForms starts a text area on a new line
    assert 'id="flask-pagedown-body-preview"' in form
    refused = client.post(url, data={'body': ''})
    assert refused.status_code == 200
    response = client.post(url, data={'body': 'final *version*'})
    assert response.headers['Location'] == '/post/{}'.format(post.id)
    db.session.refresh(post)
    assert post.body == 'final *version*' and post.body_html == '<p>final <em>version</em></p>'
    assert 'The post has been updated.' in client.get(response.headers['Location']).get_data(True)
    assert client.get('/edit/{}'.format(post.id + 1)).status_code == 404


@pytest.mark.steps('11h', touching=depends.POSTS)
def test_another_user_may_not_edit_a_post_and_an_administrator_may(app, models, db, roles,
                                                                   client):
    john = add_user(models, db)
    post = add_post(models, db, john, 'by john')
    url = '/edit/{}'.format(post.id)
    add_user(models, db, email='susan@example.com', username='susan')
    login(client, email='susan@example.com')
    assert edit_links(client, '/post/{}'.format(post.id)) == []
    assert client.get(url).status_code == 403
    assert client.post(url, data={'body': 'by susan'}).status_code == 403
    db.session.refresh(post)
    assert post.body == 'by john'
    client.get('/auth/logout')
    app.config['FLASKY_ADMIN'] = 'boss@example.com'
    add_user(models, db, email='boss@example.com', username='boss')
    login(client, email='boss@example.com')
    assert edit_links(client, '/') == [url]
    assert 'Edit [Admin]' in client.get('/').get_data(True)
    assert client.post(url, data={'body': 'moderated'}).status_code == 302
    db.session.refresh(post)
    assert post.body == 'moderated' and post.author == john


@pytest.mark.steps('11h', touching=depends.POSTS)
def test_editing_a_post_needs_a_csrf_token(app, models, db, roles, client):
    post = add_post(models, db, add_user(models, db), 'kept')
    login(client)
    with csrf_on(app):
        assert client.post('/edit/{}'.format(post.id),
                           data={'body': 'forged'}).status_code in (200, 400)
    db.session.refresh(post)
    assert post.body == 'kept'


# a learner's data, from an earlier step's database -------------------------------------------

@pytest.mark.steps(steplib.newest().name)
def test_make_run_upgrades_a_database_of_chapter_9_keeping_its_users(step, step_module,
                                                                      tmp_path):
    """A learner who used 9a moves on: the newest step's `make run` upgrades that database
    (migrations from 10a on) and the account still logs in and writes posts."""
    prepare_database(steplib.find('9a'), tmp_path)
    with sqlite3.connect(tmp_path / 'data.sqlite') as connection:
        [role_id] = connection.execute("SELECT id FROM roles WHERE name = 'User'").fetchone()
        connection.execute(
            'INSERT INTO users (email, username, password_hash, confirmed, role_id) '
            'VALUES (?, ?, ?, 1, ?)', ('old@example.com', 'old',
                                       werkzeug.security.generate_password_hash(PASSWORD),
                                       role_id))
    prepare_database(step, tmp_path)
    manage = step_module('manage')  # the development database of tmp_path, upgraded
    client = manage.app.test_client()
    manage.app.config['WTF_CSRF_ENABLED'] = False
    response = login(client, email='old@example.com')
    assert response.status_code == 302, response.get_data(True)
    assert client.post('/', data={'body': 'still *here*'}).status_code == 302
    with manage.app.app_context():
        models = step_module('app.models')
        old = manage.db.session.scalar(manage.db.select(models.User).filter_by(username='old'))
        assert [p.body_html for p in old.posts] == ['<p>still <em>here</em></p>']
        # no hash cached for a row from before 10d: the avatar is computed on the way
        assert old.role.name == 'User' and old.avatar_hash is None
        assert hashlib.sha256(b'old@example.com').hexdigest() in old.gravatar()
