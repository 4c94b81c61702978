"""The security battery: cross-site scripting through every field a page shows back. A page
that shows a payload may gain no tag, attribute or link scheme over the same page showing a
harmless text (plain fields: nothing at all; Markdown: what the sanitiser allows)."""
import base64
from collections import Counter

import pytest

import depends
import pages
from test_security_requests import make_world
from world import log_in
from world import request as send
from xss import COMMENT_TAGS, POST_TAGS, XSS

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


@pytest.mark.steps('11a', touching=depends.POSTS + depends.COMMENTS)
def test_posts_and_comments_from_the_forms_are_sanitised(app, step_module, client, request):
    world = make_world(app, step_module, request)
    john = app.test_client()
    log_in(john)
    comments = 'comment' in world.ids

    def shown(text):
        send(john, 'POST', '/', data={'body': text})
        post = world.models.Post.query.order_by(world.models.Post.id.desc()).first()
        pages_shown = [send(john, 'GET', '/').get_data(True)]
        if comments:
            send(john, 'POST', '/post/{}'.format(post.id), data={'body': text})
            pages_shown.append(send(john, 'GET', '/post/{}'.format(post.id)).get_data(True))
        forget_post(world, post.id)
        return pages_shown

    baselines = shown(HARMLESS)
    for payload in MARKDOWN:
        for page, baseline in zip(shown(payload), baselines):
            assert gained(page, baseline, POST_TAGS) == [], payload


@pytest.mark.steps('14a', touching=depends.API + depends.POSTS + depends.COMMENTS)
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
