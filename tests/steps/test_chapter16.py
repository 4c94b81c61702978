"""Chapter 16: the slow-query log, the statements each list page sends (16a), and the profiler
(16b). In-process, wherever a step can change them."""
import logging
import pstats
import re
import subprocess
import sys
import time
import urllib.request

import pytest

import depends
from accounts import add_post, add_user, login
from statements import recorded
from support import free_port, process_env, run_in_step, with_subprocess_site

# the settings that say how many items a list page shows
PER_PAGE = ('FLASKY_POSTS_PER_PAGE', 'FLASKY_COMMENTS_PER_PAGE', 'FLASKY_FOLLOWERS_PER_PAGE')
# what a list page shows: its posts, their authors and comment counts, comments and their
# authors, followers
LISTS = ('app/models.py#User.posts', 'app/models.py#User.comments',
         'app/models.py#User.followed', 'app/models.py#User.followers',
         'app/models.py#Post', 'app/models.py#Comment', 'app/models.py#Follow',
         'app/models.py#Post.comment_count', 'app/main/views.py', 'app/api_1_0/',
         'app/templates/')


def a_crowd(models, db, roles, size):
    """john, an administrator, with `size` posts; `size` users who each follow him, are
    followed by him, write a post (newer than his) and a comment on his first post.
    Returns (john, his first post)."""
    john = add_user(models, db, role=roles['Administrator'])
    posts = [models.Post(body='john {}'.format(n), author=john) for n in range(size)]
    db.session.add_all(posts)
    db.session.commit()
    others = [models.User(email='u{}@example.com'.format(n), username='u{}'.format(n),
                          password='dog', confirmed=True) for n in range(size)]
    db.session.add_all(others)
    db.session.commit()
    for user in others:
        db.session.add(models.Post(body='by ' + user.username, author=user))
        db.session.add(models.Comment(body='from ' + user.username, post=posts[0],
                                      author=user))
        user.follow(john)
        john.follow(user)
    db.session.commit()
    return john, posts[0]


def list_pages(john, post):
    """(name, address, show_followed cookie) of each page that lists posts, users or
    comments."""
    api = '/api/v1.0'
    return [('home, all', '/', ''), ('home, followed', '/', '1'),
            ('profile', '/user/john', ''), ('post and comments', '/post/{}'.format(post.id), ''),
            ('moderation', '/moderate', ''), ('followers', '/followers/john', ''),
            ('followed by', '/followed-by/john', ''),
            ('API posts', api + '/posts/', ''),
            ('API user posts', '{}/users/{}/posts/'.format(api, john.id), ''),
            ('API timeline', '{}/users/{}/timeline/'.format(api, john.id), ''),
            ('API post comments', '{}/posts/{}/comments/'.format(api, post.id), ''),
            ('API comments', api + '/comments/', '')]


def statements_per_page(app, db, client, pages, size):
    """{page name: statements sent} with every list showing `size` items a page."""
    app.config.update({name: size for name in PER_PAGE})
    counts = {}
    for name, url, followed in pages:
        client.set_cookie('show_followed', followed)
        with recorded(db) as sent:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(sent)
    return counts


@pytest.fixture
def counted(app, models, db, roles, client):
    """Statements per list page at page sizes 10 and 50, over 50 users, posts and comments."""
    john, post = a_crowd(models, db, roles, 50)
    login(client)
    pages = list_pages(john, post)
    return {size: statements_per_page(app, db, client, pages, size) for size in (10, 50)}


@pytest.mark.steps('15d', '15d', touching=LISTS)
def test_before_16a_lists_send_a_statement_per_author_and_per_comment_count(counted):
    # the book's lazy loading, measured where 16a starts: what the slow-query log shows
    small, large = counted[10], counted[50]
    for name in ('home, all', 'profile', 'post and comments', 'moderation', 'API posts'):
        assert large[name] >= small[name] + 40, (name, small[name], large[name])


@pytest.mark.steps('16a', touching=LISTS)
def test_from_16a_a_list_page_sends_as_many_statements_at_any_page_size(counted):
    small, large = counted[10], counted[50]
    assert small == large
    # a handful each: the user, the page, its count, the profile's follower counts
    assert max(large.values()) <= 10, large


@pytest.mark.steps('16a', touching=LISTS)
def test_eager_loading_shows_the_same_authors_and_counts(models, db, roles, client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    post = add_post(models, db, susan, 'one')
    for n in range(3):
        db.session.add(models.Comment(body='c{}'.format(n), post=post, author=john))
    db.session.commit()
    page = client.get('/').get_data(True)
    assert '3 Comments' in page and '/user/susan' in page
    assert client.get('/api/v1.0/posts/').get_json()['posts'][0]['comment_count'] == 3


@pytest.mark.steps('16a', touching=('app/main/views.py#after_request',
                                    'config.py#Config.SQLALCHEMY_RECORD_QUERIES',
                                    'config.py#Config.FLASKY_SLOW_DB_QUERY_TIME'))
def test_statements_slower_than_the_setting_are_logged_after_the_request(
        app, models, db, roles, client, caplog):
    add_user(models, db)
    caplog.set_level(logging.WARNING, logger=app.logger.name)
    assert app.config['FLASKY_SLOW_DB_QUERY_TIME'] == 0.5
    assert client.get('/user/john').status_code == 200
    assert not [r for r in caplog.records if 'Slow query' in r.getMessage()]
    # every statement is slower than no time at all
    app.config['FLASKY_SLOW_DB_QUERY_TIME'] = 0
    assert client.get('/user/john').status_code == 200
    logged = [r.getMessage() for r in caplog.records if 'Slow query' in r.getMessage()]
    assert any('FROM users' in text and 'Duration:' in text for text in logged), logged
    # where in the step's code the statement was sent from
    assert any('views.py' in text for text in logged), logged


# 16b: the profiler ---------------------------------------------------------------------------

@pytest.mark.steps('16b', touching=('manage.py#profile',))
def test_profile_prints_the_slowest_functions_and_writes_prof_files(step, tmp_path):
    profiles = tmp_path / 'profiles' / 'new'  # a folder that is not there yet
    port = free_port()
    env = with_subprocess_site(process_env(tmp_path), FLASKY_TEST_PORT=str(port))
    log = tmp_path / 'profile.log'
    with open(log, 'wb') as out:
        process = subprocess.Popen(
            [sys.executable, 'manage.py', 'profile', '--length', '7', '--profile-dir',
             str(profiles)], cwd=step.path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while 'Running on' not in log.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        # a page that reads no table: no database to prepare
        with urllib.request.urlopen('http://127.0.0.1:{}/auth/login'.format(port),
                                    timeout=10) as page:
            assert page.status == 200
        while "PATH: '/auth/login'" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)
    output = log.read_text()
    # cProfile's table for the request, cut to the 7 functions that took the longest
    assert re.search(r'List reduced from \d+ to 7 due to restriction <7>', output), output
    assert 'Ordered by: internal time' in output and 'ncalls' in output
    assert [p.name for p in profiles.glob('GET.auth.login.*.prof')], list(profiles.iterdir())
    assert pstats.Stats(str(next(profiles.glob('*.prof')))).total_calls > 1000
    # a length that is not a number: the command's usage and exit status 2, no server
    bad = run_in_step(step, tmp_path, 'manage.py', 'profile', '--length', 'many')
    assert bad.returncode == 2 and "invalid int value: 'many'" in bad.stderr
