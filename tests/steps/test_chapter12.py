"""Chapter 12: users follow each other. In-process, wherever a step can change it."""
import pytest

import depends
import pages
from accounts import add_user, csrf_on, flashed, login
from statements import count_statements


def follow_rows(models, db):
    """The follows table as (follower's username, followed's username) pairs, without the
    users' follows of themselves (12e on)."""
    return sorted((f.follower.username, f.followed.username)
                  for f in db.session.scalars(db.select(models.Follow))
                  if f.follower is not f.followed)


# 12a: the Follow model ----------------------------------------------------------------------

@pytest.mark.steps('12a', touching=depends.FOLLOWS)
def test_following_goes_one_way_and_is_kept_once(models, db, roles):
    john, susan = add_user(models, db), add_user(models, db, email='susan@example.com',
                                                 username='susan')
    john.follow(susan)
    john.follow(susan)
    db.session.commit()
    assert follow_rows(models, db)[-1:] == [('john', 'susan')]
    assert john.is_following(susan) and susan.is_followed_by(john)
    assert not susan.is_following(john) and not john.is_followed_by(susan)
    # both sides are queries (lazy='dynamic'), refined before they run
    assert [f.followed for f in john.followed.filter_by(followed_id=susan.id)] == [susan]
    assert [f.follower for f in susan.followers.filter_by(follower_id=john.id)] == [john]
    susan.unfollow(john)  # not followed: nothing happens
    john.unfollow(susan)
    db.session.commit()
    assert not john.is_following(susan) and ('john', 'susan') not in follow_rows(models, db)


@pytest.mark.steps('12a', touching=depends.FOLLOWS)
def test_deleting_a_user_deletes_their_follows_both_ways(models, db, roles):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    david = add_user(models, db, email='david@example.com', username='david')
    john.follow(susan)
    susan.follow(john)
    david.follow(john)
    db.session.commit()
    john_id = john.id
    db.session.delete(john)
    db.session.commit()
    assert follow_rows(models, db) == []  # john's rows went with him
    Follow = models.Follow
    assert db.session.scalars(db.select(Follow).where(
        (Follow.follower_id == john_id) | (Follow.followed_id == john_id))).all() == []
    tables = db.inspect(db.engine)
    assert tables.get_pk_constraint('follows')['constrained_columns'] == ['follower_id',
                                                                          'followed_id']


# 12b: following from the pages --------------------------------------------------------------

def two_users(models, db, client):
    """john, logged in, and susan."""
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    login(client)
    return john, susan


@pytest.mark.steps('12b', touching=depends.FOLLOW_PAGES)
def test_a_get_follows_nobody_and_a_post_needs_its_csrf_token(app, models, db, roles, client):
    john, susan = two_users(models, db, client)
    # what an <img src="/follow/susan"> in someone's page would send: refused
    assert client.get('/follow/susan').status_code == 405
    assert client.get('/unfollow/susan').status_code == 405
    with csrf_on(app):
        assert client.post('/follow/susan').status_code == 400  # a forged form
        assert not john.is_following(susan)
        profile = client.get('/user/susan').get_data(True)
        forms = [f for f in pages.tags(profile, 'form') if f.get('action') == '/follow/susan']
        assert forms and forms[0]['method'] == 'post'
        response = client.post('/follow/susan', data={'csrf_token': pages.hidden_value(profile)})
    assert response.status_code == 302 and response.headers['Location'] == '/user/susan'
    assert john.is_following(susan)
    assert client.get('/unfollow/susan').status_code == 405 and john.is_following(susan)


@pytest.mark.steps('12b', touching=depends.FOLLOW_PAGES)
def test_follow_and_unfollow_say_what_happened(models, db, roles, client):
    john, susan = two_users(models, db, client)
    said = [flashed(client.post(url, follow_redirects=True)) for url in (
        '/follow/susan', '/follow/susan', '/follow/john', '/follow/nobody',
        '/unfollow/susan', '/unfollow/susan', '/unfollow/john', '/unfollow/nobody')]
    assert said == [['You are now following susan.'], ['You are already following this user.'],
                    ['You cannot follow yourself.'], ['Invalid user.'],
                    ['You are not following susan anymore.'],
                    ['You are not following this user.'], ['You cannot unfollow yourself.'],
                    ['Invalid user.']]
    assert not john.is_following(susan) and not susan.is_followed_by(john)


@pytest.mark.steps('12b', touching=depends.FOLLOW_PAGES)
def test_visitors_and_users_without_the_permission_follow_nobody(models, db, roles, client):
    john = add_user(models, db)
    susan = add_user(models, db, email='susan@example.com', username='susan')
    response = client.post('/follow/susan')
    assert response.headers['Location'].startswith('/auth/login')
    john.role = models.Role(name='Reader', permissions=models.Permission.COMMENT)
    db.session.commit()
    login(client)
    assert client.post('/follow/susan').status_code == 403
    assert 'action="/follow/susan"' not in client.get('/user/susan').get_data(True)
    assert not susan.is_followed_by(john)


def listed_users(client):
    """A function giving the usernames a follower list shows (its links to profiles)."""
    def names(url):
        return [text.strip() for (tag, attrs, text) in pages.parse(
                    client.get(url).get_data(True)).texts
                if tag == 'a' and attrs.get('href', '').startswith('/user/')
                and text.strip() not in ('', 'Profile')]
    return names


@pytest.mark.steps('12b', touching=depends.FOLLOW_PAGES)
def test_the_profile_counts_and_lists_followers_a_page_at_a_time(app, models, db, roles,
                                                                client):
    app.config['FLASKY_FOLLOWERS_PER_PAGE'] = 2
    john, susan = two_users(models, db, client)
    fans = [add_user(models, db, email='fan{}@example.com'.format(i), username='fan{}'.format(i))
            for i in range(3)]
    for fan in fans:
        fan.follow(john)
    john.follow(susan)
    susan.follow(john)
    db.session.commit()
    profile = client.get('/user/susan').get_data(True)
    assert 'Follows you' in profile and 'action="/unfollow/susan"' in profile
    counts = pages.texts(client.get('/user/john').get_data(True), 'span', class_='badge')
    assert counts[:2] == ['4', '1']  # followers, following
    names = listed_users(client)
    first, second = names('/followers/john'), names('/followers/john?page=2')
    assert len(first) == 2 and len(second) == 2
    assert sorted(first + second) == ['fan0', 'fan1', 'fan2', 'susan']
    assert '/followers/john?page=2' in client.get('/followers/john').get_data(True)
    assert names('/followed-by/john') == ['susan']
    assert client.get('/followers/john?page=3').status_code == 404
    response = client.get('/followed-by/nobody', follow_redirects=True)
    assert flashed(response) == ['Invalid user.']


# 12c: the posts of the followed users, in one query -----------------------------------------

@pytest.mark.steps('12c', touching=depends.FOLLOWS + ('app/models.py#User.followed_posts',
                                                        'app/models.py#User.posts'))
def test_followed_posts_are_the_followed_users_posts_in_one_statement(models, db, roles):
    john = add_user(models, db)
    others = [add_user(models, db, email='u{}@example.com'.format(i), username='u{}'.format(i))
              for i in range(4)]
    for i, author in enumerate([john] + others):
        db.session.add_all([models.Post(body='{} {}'.format(author.username, n), author=author)
                            for n in range(2)])
    john.follow(others[0])
    john.follow(others[1])
    others[2].follow(john)
    db.session.commit()
    db.session.expire_all()
    assert john.id  # loaded again: what is counted below is the posts' query alone
    posts, sent = count_statements(db, lambda: john.followed_posts.all())
    expected = {'u0 0', 'u0 1', 'u1 0', 'u1 1'} | (
        {'john 0', 'john 1'} if john.is_following(john) else set())  # 12e: oneself too
    assert {p.body for p in posts} == expected
    # one JOIN with follows (from 16a the authors come joined in the same statement too)
    assert len(sent) == 1 and sent[0].count('JOIN follows') == 1, sent
    assert {p.body for p in others[3].followed_posts} <= {'u3 0', 'u3 1'}


# 12d: the All and Followers tabs ------------------------------------------------------------

@pytest.mark.steps('12d', touching=('app/main/views.py#index', 'app/main/views.py#show_all',
                                    'app/main/views.py#show_followed',
                                    'app/main/views.py#remember_tab',
                                    'app/templates/index.html',
                                    'app/models.py#User.followed_posts'))
def test_the_home_page_tab_is_kept_in_an_httponly_cookie(models, db, roles, client):
    john, susan = two_users(models, db, client)
    david = add_user(models, db, email='david@example.com', username='david')
    for author in (susan, david):
        db.session.add(models.Post(body='by ' + author.username, author=author))
    john.follow(susan)
    db.session.commit()
    bodies = lambda: sorted(b for b in pages.post_bodies(client.get('/')) if b != 'by john')  # noqa
    assert bodies() == ['by david', 'by susan']
    response = client.get('/followed')
    assert response.status_code == 302 and response.headers['Location'] == '/'
    cookie = response.headers['Set-Cookie']
    assert cookie.startswith('show_followed=1;') and 'HttpOnly' in cookie
    assert 'Max-Age=2592000' in cookie and 'SameSite=Lax' in cookie
    assert bodies() == ['by susan']
    tabs = [t.get('class') for t in pages.tags(client.get('/').get_data(True), 'li')
            if t.get('class') == 'active']
    assert tabs == ['active']
    assert client.get('/all').headers['Set-Cookie'].startswith('show_followed=;')
    assert bodies() == ['by david', 'by susan']
    client.get('/followed')
    client.get('/auth/logout')
    # a visitor sees every post, whatever the cookie says, and has no tab to choose
    assert bodies() == ['by david', 'by susan']
    assert client.get('/followed').headers['Location'].startswith('/auth/login')
    assert '/followed' not in client.get('/').get_data(True)


# 12e: users follow themselves ---------------------------------------------------------------

@pytest.mark.steps('12e', touching=depends.FOLLOW_PAGES + ('app/models.py#User.__init__',
                                                           'app/models.py#User.add_self_follows'))
def test_users_follow_themselves_and_the_pages_do_not_count_it(models, db, roles, client):
    john, susan = two_users(models, db, client)
    assert john.is_following(john) and susan.is_followed_by(susan)
    susan.follow(john)
    db.session.commit()
    counts = pages.texts(client.get('/user/john').get_data(True), 'span', class_='badge')
    assert counts[:2] == ['1', '0']  # susan follows john; john follows nobody else
    assert 'john' not in client.get('/followers/john').get_data(True).split('<table')[1]
    # one's own posts are among the followed posts
    db.session.add(models.Post(body='mine', author=john))
    db.session.commit()
    assert [p.body for p in john.followed_posts] == ['mine']
    # a user from before 12e has no self-follow: the counts hold, add_self_follows() mends it
    db.session.delete(john.followed.filter_by(followed_id=john.id).first())
    db.session.commit()
    counts = pages.texts(client.get('/user/john').get_data(True), 'span', class_='badge')
    assert counts[:2] == ['1', '0'] and john.followed_posts.count() == 0
    models.User.add_self_follows()
    models.User.add_self_follows()  # again: nothing more
    assert john.is_following(john) and john.followed.count() == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(models.Follow)) == 3
