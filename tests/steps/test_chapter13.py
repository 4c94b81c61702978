"""Chapter 13: comments under each post, and moderators who disable them. In-process,
wherever a step can change them."""
import pytest

import depends
import pages
from accounts import add_post, add_user, csrf_on, flashed, login


def add_comment(models, db, post, author, body='A comment', **columns):
    comment = models.Comment(body=body, post=post, author=author, **columns)
    db.session.add(comment)
    db.session.commit()
    return comment


def comment_bodies(response):
    """The text of each comment a page shows, in order (_comments.html)."""
    return [text.strip() for text in pages.texts(response.get_data(True), 'div',
                                                 class_='comment-body')]


def count_comments(models, db):
    return db.session.scalar(db.select(db.func.count()).select_from(models.Comment))


# 13a: comments ------------------------------------------------------------------------------

@pytest.mark.steps('13a', touching=depends.COMMENTS)
def test_a_comment_is_published_and_its_last_page_shown(app, models, db, roles, client):
    app.config['FLASKY_COMMENTS_PER_PAGE'] = 2
    john = add_user(models, db)
    post = add_post(models, db, john)
    for n in range(3):
        add_comment(models, db, post, john, 'earlier {}'.format(n))
    login(client)
    url = '/post/{}'.format(post.id)
    response = client.post(url, data={'body': 'the *newest*'})
    # four comments, two a page: the new one is on page 2, the last
    assert response.status_code == 302
    assert response.headers['Location'] == url + '?page=2#comments'
    last = client.get(response.headers['Location'])
    assert flashed(last) == ['Your comment has been published.']
    assert comment_bodies(last) == ['earlier 2', 'the newest']  # oldest first
    assert '<em>newest</em>' in last.get_data(True)
    assert comment_bodies(client.get(url)) == ['earlier 0', 'earlier 1']
    # the page links keep the reader at the comments
    assert url + '?page=2#comments' in client.get(url).get_data(True)
    assert client.get(url + '?page=3').status_code == 404
    [newest] = post.comments.filter_by(body='the *newest*').all()
    assert newest.author == john and newest.post == post and not newest.disabled
    assert john.comments.count() == 4


@pytest.mark.steps('13a', touching=depends.COMMENTS)
def test_each_post_shows_how_many_comments_it_has(models, db, roles, client):
    john = add_user(models, db)
    posts = [add_post(models, db, john, 'post {}'.format(n)) for n in range(3)]
    for post, count in zip(posts, (0, 1, 3)):
        for n in range(count):
            add_comment(models, db, post, john)
    for page in ('/', '/user/john'):
        labels = {}
        for a in pages.parse(client.get(page).get_data(True)).texts:
            tag, attrs, text = a
            if tag == 'span' and 'Comment' in text:
                labels[text.split()[0]] = ' '.join(text.split())
        assert labels == {'0': '0 Comments', '1': '1 Comment', '3': '3 Comments'}, page
        for post in posts:
            assert '/post/{}#comments'.format(post.id) in client.get(page).get_data(True)


@pytest.mark.steps('13a', touching=depends.COMMENTS)
def test_visitors_and_users_who_may_not_comment_get_no_form_and_cannot_comment(
        models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john)
    url = '/post/{}'.format(post.id)
    assert 'name="body"' not in client.get(url).get_data(True)
    response = client.post(url, data={'body': 'from a visitor'})
    assert response.status_code == 200 and count_comments(models, db) == 0
    john.role = models.Role(name='Reader', permissions=models.Permission.FOLLOW)
    db.session.commit()
    login(client)
    assert 'name="body"' not in client.get(url).get_data(True)
    client.post(url, data={'body': 'from a reader'})
    assert count_comments(models, db) == 0


@pytest.mark.steps('13a', touching=depends.COMMENTS)
def test_a_comment_needs_text_and_its_csrf_token(app, models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john)
    url = '/post/{}'.format(post.id)
    login(client)
    response = client.post(url, data={'body': ''})
    assert response.status_code == 200 and 'This field is required.' in response.get_data(True)
    with csrf_on(app):
        assert client.post(url, data={'body': 'forged'}).status_code == 400
        token = pages.hidden_value(client.get(url).get_data(True))
        assert client.post(url, data={'body': 'real', 'csrf_token': token}).status_code == 302
    assert [c.body for c in post.comments] == ['real']
    assert client.post('/post/999', data={'body': 'lost'}).status_code == 404
    assert count_comments(models, db) == 1


# 13b: moderation ----------------------------------------------------------------------------

def moderator(models, db, roles):
    return add_user(models, db, email='mod@example.com', username='mod',
                    role=roles['Moderator'])


@pytest.mark.steps('13b', touching=depends.MODERATION)
def test_only_moderators_may_open_the_moderation_page(models, db, roles, client):
    add_user(models, db)
    moderator(models, db, roles)
    add_user(models, db, email='admin@example.com', username='admin',
             role=roles['Administrator'])
    response = client.get('/moderate')
    assert response.status_code == 302 and response.headers['Location'].startswith(
        '/auth/login?next=')
    login(client)
    assert client.get('/moderate').status_code == 403
    assert 'href="/moderate"' not in client.get('/').get_data(True)
    for email in ('mod@example.com', 'admin@example.com'):
        client.get('/auth/logout')
        login(client, email=email)
        assert client.get('/moderate').status_code == 200
        assert 'href="/moderate"' in client.get('/').get_data(True)


def moderation_forms(html):
    return [(f['action'], f['method']) for f in pages.tags(html, 'form')
            if f.get('action', '').startswith('/moderate/')]


@pytest.mark.steps('13b', touching=depends.MODERATION)
def test_disabling_and_enabling_are_posts_with_a_csrf_token(app, models, db, roles, client):
    john = add_user(models, db)
    moderator(models, db, roles)
    comment = add_comment(models, db, add_post(models, db, john), john)
    disable, enable = '/moderate/disable/{}'.format(comment.id), \
        '/moderate/enable/{}'.format(comment.id)
    # what a link or an <img> in someone's comment would send: refused, for anybody
    login(client, email='mod@example.com')
    assert client.get(disable).status_code == 405 and client.get(enable).status_code == 405
    with csrf_on(app):
        assert client.post(disable).status_code == 400
        assert not comment.disabled
        html = client.get('/moderate?page=1').get_data(True)
        assert moderation_forms(html) == [(disable + '?page=1', 'post')]
        response = client.post(disable + '?page=1', data={'csrf_token': pages.hidden_value(html)})
        assert response.status_code == 302 and response.headers['Location'] == '/moderate?page=1'
        assert comment.disabled
        html = client.get('/moderate').get_data(True)
        assert moderation_forms(html) == [(enable + '?page=1', 'post')]
        client.post(enable, data={'csrf_token': pages.hidden_value(html)})
    assert comment.disabled is False
    assert client.post('/moderate/disable/999').status_code == 404
    # a user who is not a moderator, and a visitor, change nothing
    client.get('/auth/logout')
    assert client.post(disable).headers['Location'].startswith('/auth/login')
    login(client)
    assert client.post(disable).status_code == 403 and comment.disabled is False


@pytest.mark.steps('13b', touching=depends.MODERATION)
def test_a_disabled_comment_shows_a_notice_and_its_text_to_moderators_only(models, db, roles,
                                                                           client):
    john = add_user(models, db)
    moderator(models, db, roles)
    post = add_post(models, db, john)
    add_comment(models, db, post, john, 'kept')
    add_comment(models, db, post, john, 'rude words', disabled=True)
    url = '/post/{}'.format(post.id)
    notice = 'This comment has been disabled by a moderator.'

    def seen(page):
        html = page.get_data(True)
        return comment_bodies(page), html.count(notice), html.count('comment-hidden')

    assert seen(client.get(url)) == (['kept'], 1, 0)  # a visitor
    login(client)
    assert seen(client.get(url)) == (['kept'], 1, 0)  # the author too
    client.get('/auth/logout')
    login(client, email='mod@example.com')
    assert seen(client.get(url)) == (['kept', 'rude words'], 1, 1)
    assert seen(client.get('/moderate')) == (['rude words', 'kept'], 1, 1)  # newest first
