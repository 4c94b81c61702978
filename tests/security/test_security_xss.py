"""The security battery: cross-site scripting through every field a page shows back. A page
that shows a payload may gain no tag, attribute or link scheme over the same page showing a
harmless text (plain fields: nothing at all; Markdown: what the sanitiser allows)."""
import base64
from collections import Counter

import pytest

import depends
import pages
from accounts import add_post, add_user
from test_security_requests import make_world
from world import log_in
from world import request as send
from xss import COMMENT_TAGS, POST_TAGS, XSS, unsafe_tags

HARMLESS = 'harmless text'
# escaping is all or nothing for a plain field: a few payloads of each kind tell
PLAIN = [XSS[0], XSS[1], XSS[3], XSS[5], XSS[22], '{{ 7 * 7 }}']
# Markdown through the forms and the API: the sanitiser's work, every payload
MARKDOWN = XSS


def gained(page, baseline, allowed=None):
    """What a page showing a payload has over the baseline, showing a harmless text: the
    elements or attributes (by name: a value holding the escaped text is fine) that the field
    may not hold (a plain field: none; Markdown: the sanitiser's list), and any link to a
    script."""
    def shape(html):
        return Counter((tag, tuple(sorted(attrs))) for tag, attrs in pages.parse(html).tags)

    allowed = allowed or {}
    problems = [(tag, names) for tag, names in shape(page) - shape(baseline)
                if tag not in allowed or set(names) - allowed[tag]]
    problems += [value for tag, attrs in pages.parse(page).tags
                 for name, value in attrs.items() if name in ('href', 'src', 'action')
                 and value.strip().lower().startswith(('javascript:', 'data:', 'vbscript:'))]
    return problems


def forget_post(world, post_id):
    """Delete a post and its comments, so that each page shows as many as the baseline."""
    models, db = world.models, world.db
    if hasattr(models, 'Comment'):
        models.Comment.query.filter_by(post_id=post_id).delete()
    models.Post.query.filter_by(id=post_id).delete()
    db.session.commit()


@pytest.mark.steps('4a', '7a', touching=('hello.py', 'templates/', 'app/templates/',
                                          'app/main/'))
def test_the_name_form_shows_a_name_escaped(app, client):
    def shown(name):
        return send(client, 'POST', '/', data={'name': name},
                    follow_redirects=True).get_data(True)

    shown('a first name')  # from 4c a new name is flashed: the baseline changes it too
    baseline = shown(HARMLESS)
    for payload in PLAIN:
        page = shown(payload)
        assert gained(page, baseline) == [], payload
    # shown as typed: a name is data, never a template
    assert '{{ 7 * 7 }}' in shown('{{ 7 * 7 }}')


@pytest.mark.steps('8d', touching=depends.AUTH)
def test_a_refused_username_is_shown_back_escaped(app, step_module, client, request):
    make_world(app, step_module, request)

    def shown(username):
        return send(app.test_client(), 'POST', '/auth/register', data={
            'email': 'mallory@example.com', 'username': username, 'password': 'dog',
            'password2': 'dog'}).get_data(True)

    baseline = shown('harm less')  # refused too: the same page, with the same error
    for payload in PLAIN:
        assert gained(shown(payload), baseline) == [], payload


@pytest.mark.steps('10b', touching=depends.PROFILES)
def test_profile_fields_are_shown_escaped(app, step_module, client, request):
    make_world(app, step_module, request)
    john = app.test_client()
    log_in(john)

    def shown(text):
        send(john, 'POST', '/edit-profile', data={
            'name': text[:64], 'location': text[:64], 'about_me': text})
        return send(john, 'GET', '/user/john').get_data(True)

    baseline = shown(HARMLESS)
    for payload in PLAIN:
        assert gained(shown(payload), baseline) == [], payload
    assert '{{ 7 * 7 }}' in shown('{{ 7 * 7 }}')


# posts (11f: Markdown, sanitised when stored) and comments (13a): every payload, stored as
# the forms and the API store it (the body's set event), shown on every page that lists it

SANITISER = ('app/models.py#Post.on_changed_body', 'app/models.py#Post.body_html',
             'app/templates/_posts.html', 'requirements/common.txt')


def page_with_post(models, db, client, author, body, url='/'):
    post = add_post(models, db, author, body)
    html = client.get(url).get_data(True)
    db.session.delete(post)
    db.session.commit()
    return html


# the pages that list posts: their views and templates, and the sanitiser
@pytest.mark.steps('11f', touching=SANITISER + (
    'app/main/views.py#index', 'app/main/views.py#user', 'app/templates/index.html',
    'app/templates/user.html', 'app/templates/base.html'))
def test_no_stored_xss_payload_survives_to_the_pages(models, db, roles, client):
    john = add_user(models, db)
    for url in ('/', '/user/john'):
        baseline = page_with_post(models, db, client, john, 'harmless', url)
        for payload in XSS:
            html = page_with_post(models, db, client, john, payload, url)
            assert unsafe_tags(html, baseline) == [], (url, payload)
            assert 'javascript:' not in html.lower() and 'alert(1)</script>' not in html, payload


@pytest.mark.steps('11f', touching=SANITISER)
def test_the_check_above_can_fail():
    baseline = '<ul class="posts"><li>harmless</li></ul>'
    for html in ('<ul class="posts"><li><script>x</script></li></ul>',
                 '<ul class="posts"><li><p onclick="x">y</p></li></ul>',
                 '<ul class="posts"><li><a href="javascript:x">y</a></li></ul>',
                 '<ul class="posts"><li><iframe src="https://e"></iframe></li></ul>'):
        assert unsafe_tags(html, baseline), html
    assert unsafe_tags('<p><a href="https://x" rel="nofollow">x</a></p>', '<p></p>') == []


def add_comment(models, db, post, author, body):
    comment = models.Comment(body=body, post=post, author=author)
    db.session.add(comment)
    db.session.commit()
    return comment


@pytest.mark.steps('13a', touching=depends.COMMENTS + ('app/models.py#Comment.on_changed_body',))
def test_no_stored_xss_payload_survives_in_a_comment(models, db, roles, client):
    john = add_user(models, db)
    post = add_post(models, db, john)
    url = '/post/{}'.format(post.id)

    def page_with_comment(body):
        comment = add_comment(models, db, post, john, body)
        html = client.get(url).get_data(True)
        db.session.delete(comment)
        db.session.commit()
        return html

    baseline = page_with_comment('harmless')
    for payload in XSS:
        html = page_with_comment(payload)
        assert unsafe_tags(html, baseline, COMMENT_TAGS) == [], payload
        assert 'javascript:' not in html.lower() and 'alert(1)</script>' not in html, payload
    # the comment's narrower list: a heading or a list is text, a link stays a safe link
    comment = add_comment(models, db, post, john,
                          '# Big\n\n* item **bold** `code` [l](https://example.com) https://x.org')
    assert ' '.join(comment.body_html.split()) == (
        'Big item <strong>bold</strong> <code>code</code> '
        '<a href="https://example.com" rel="nofollow noopener noreferrer">l</a> '
        '<a href="https://x.org" rel="nofollow noopener noreferrer">https://x.org</a>')


@pytest.mark.steps('14a', touching=depends.API + SANITISER + (
    'app/models.py#Comment.on_changed_body',))
def test_posts_and_comments_from_the_api_are_sanitised(app, step_module, client, request):
    world = make_world(app, step_module, request)
    headers = {'Authorization': 'Basic ' + base64.b64encode(b'john@example.com:cat').decode()}
    browser = app.test_client()

    def shown(text):
        created = send(browser, 'POST', '/api/v1.0/posts/', json={'body': text},
                       headers=headers)
        assert created.status_code == 201
        post_id = created.get_json()['url'].rsplit('/', 1)[1]
        answer = send(browser, 'POST', '/api/v1.0/posts/{}/comments/'.format(post_id),
                      json={'body': text}, headers=headers)
        assert answer.status_code == 201
        # the JSON is not HTML: its body is the text as sent, its body_html sanitised
        assert created.get_json()['body'] == text
        shown = (send(browser, 'GET', '/').get_data(True),
                 send(browser, 'GET', '/post/' + post_id).get_data(True),
                 created.get_json()['body_html'], answer.get_json()['body_html'])
        forget_post(world, int(post_id))
        return shown

    baselines = shown(HARMLESS)
    for payload in MARKDOWN:
        for page, baseline, allowed in zip(shown(payload), baselines,
                                           (POST_TAGS, POST_TAGS, POST_TAGS, COMMENT_TAGS)):
            assert gained(page, baseline, allowed) == [], payload
