"""Chapter 11: posts on the index and the profile, fake data, pagination, Markdown made safe,
permalinks and the post editor. In-process, wherever a step can change them."""
from datetime import timedelta

import pytest

import depends
import pages
from accounts import add_user, csrf_on, login


def add_post(models, db, author, body='Hello', **columns):
    post = models.Post(body=body, author=author, **columns)
    db.session.add(post)
    db.session.commit()
    return post


def post_bodies(response):
    """The text of each post a page lists, in order."""
    return [text.strip() for text in pages.texts(response.get_data(True), 'div',
                                                   class_='post-body')]


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
    bodies = post_bodies(response)
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
    assert post_bodies(client.get('/user/john')) == ['by john']
    assert post_bodies(client.get('/user/susan')) == ['by susan']
    assert sorted(post_bodies(client.get('/'))) == ['by john', 'by susan']
