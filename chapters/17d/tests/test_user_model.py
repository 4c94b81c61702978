import hashlib
import unittest
from datetime import timedelta

from app import create_app, db
from app.models import AnonymousUser, Follow, Permission, Role, User, utcnow


class UserModelTestCase(unittest.TestCase):
    def setUp(self):
        self.app = create_app('testing')
        self.app_context = self.app.app_context()
        self.app_context.push()
        db.create_all()
        Role.insert_roles()

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        self.app_context.pop()

    def test_password_setter(self):
        u = User(password='cat')
        self.assertTrue(u.password_hash is not None)

    def test_no_password_getter(self):
        u = User(password='cat')
        with self.assertRaises(AttributeError):
            u.password

    def test_password_verification(self):
        u = User(password='cat')
        self.assertTrue(u.verify_password('cat'))
        self.assertFalse(u.verify_password('dog'))

    def test_password_salts_are_random(self):
        u = User(password='cat')
        u2 = User(password='cat')
        self.assertTrue(u.password_hash != u2.password_hash)

    def test_valid_confirmation_token(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        token = u.generate_confirmation_token()
        self.assertTrue(u.confirm(token))

    def test_invalid_confirmation_token(self):
        u1 = User(password='cat')
        u2 = User(password='dog')
        db.session.add(u1)
        db.session.add(u2)
        db.session.commit()
        token = u1.generate_confirmation_token()
        self.assertFalse(u2.confirm(token))

    def test_expired_confirmation_token(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        # a token that expired a second before it was made: no need to wait for one
        token = u.generate_confirmation_token(expiration=-1)
        self.assertFalse(u.confirm(token))

    def test_valid_reset_token(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        token = u.generate_reset_token()
        self.assertTrue(User.reset_password(token, 'dog'))
        self.assertTrue(u.verify_password('dog'))

    def test_invalid_reset_token(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        token = u.generate_reset_token()
        self.assertFalse(User.reset_password(token + 'a', 'horse'))
        self.assertTrue(u.verify_password('cat'))

    def test_confirmation_token_cannot_reset_a_password(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        token = u.generate_confirmation_token()
        self.assertFalse(User.reset_password(token, 'horse'))
        self.assertTrue(u.verify_password('cat'))

    def test_valid_email_change_token(self):
        u = User(email='john@example.com', password='cat')
        db.session.add(u)
        db.session.commit()
        token = u.generate_email_change_token('susan@example.org')
        self.assertTrue(u.change_email(token))
        self.assertTrue(u.email == 'susan@example.org')

    def test_invalid_email_change_token(self):
        u1 = User(email='john@example.com', password='cat')
        u2 = User(email='susan@example.org', password='dog')
        db.session.add(u1)
        db.session.add(u2)
        db.session.commit()
        token = u1.generate_email_change_token('david@example.net')
        self.assertFalse(u2.change_email(token))
        self.assertTrue(u2.email == 'susan@example.org')

    def test_duplicate_email_change_token(self):
        u1 = User(email='john@example.com', password='cat')
        u2 = User(email='susan@example.org', password='dog')
        db.session.add(u1)
        db.session.add(u2)
        db.session.commit()
        token = u2.generate_email_change_token('john@example.com')
        self.assertFalse(u2.change_email(token))
        self.assertTrue(u2.email == 'susan@example.org')

    def test_roles_and_permissions(self):
        u = User(email='john@example.com', password='cat')
        self.assertTrue(u.can(Permission.WRITE_ARTICLES))
        self.assertFalse(u.can(Permission.MODERATE_COMMENTS))

    def test_anonymous_user(self):
        u = AnonymousUser()
        self.assertFalse(u.can(Permission.FOLLOW))

    def test_timestamps(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        self.assertTrue((utcnow() - u.member_since).total_seconds() < 3)
        self.assertTrue((utcnow() - u.last_seen).total_seconds() < 3)

    def test_ping(self):
        u = User(password='cat')
        db.session.add(u)
        db.session.commit()
        # an hour back, rather than waiting for the clock to move
        u.last_seen -= timedelta(hours=1)
        last_seen_before = u.last_seen
        u.ping()
        self.assertTrue(u.last_seen > last_seen_before)

    def test_gravatar(self):
        u = User(email='john@example.com', password='cat')
        with self.app.test_request_context('/'):
            gravatar = u.gravatar()
            gravatar_256 = u.gravatar(size=256)
            gravatar_pg = u.gravatar(rating='pg')
            gravatar_retro = u.gravatar(default='retro')
        digest = hashlib.sha256(b'john@example.com').hexdigest()
        self.assertTrue('https://www.gravatar.com/avatar/' + digest in gravatar)
        self.assertTrue('s=256' in gravatar_256)
        self.assertTrue('r=pg' in gravatar_pg)
        self.assertTrue('d=retro' in gravatar_retro)

    def test_follows(self):
        john = User(email='john@example.com', password='cat')
        susan = User(email='susan@example.org', password='dog')
        db.session.add_all([john, susan])
        db.session.commit()
        self.assertFalse(john.is_following(susan))
        self.assertFalse(susan.is_followed_by(john))
        before = utcnow()
        john.follow(susan)
        db.session.commit()
        after = utcnow()
        self.assertTrue(john.is_following(susan))
        self.assertTrue(susan.is_followed_by(john))
        # the relationship goes one way only
        self.assertFalse(susan.is_following(john))
        self.assertFalse(john.is_followed_by(susan))
        # each user follows themselves too (12e)
        self.assertEqual((john.followed.count(), susan.followers.count()), (2, 2))
        follow = john.followed.filter_by(followed_id=susan.id).first()
        self.assertEqual((follow.follower, follow.followed), (john, susan))
        self.assertTrue(before <= follow.timestamp <= after)
        john.follow(susan)  # following twice changes nothing
        db.session.commit()
        self.assertEqual(Follow.query.count(), 3)
        john.unfollow(susan)
        db.session.commit()
        self.assertFalse(john.is_following(susan))
        self.assertEqual(Follow.query.count(), 2)
        john.unfollow(susan)  # nor does unfollowing someone not followed

    def test_deleting_a_user_deletes_their_follows(self):
        john = User(email='john@example.com', password='cat')
        susan = User(email='susan@example.org', password='dog')
        db.session.add_all([john, susan])
        john.follow(susan)
        susan.follow(john)
        db.session.commit()
        self.assertEqual(Follow.query.count(), 4)  # with the two self-follows
        db.session.delete(susan)
        db.session.commit()
        self.assertEqual(Follow.query.count(), 1)  # john's of himself
        self.assertEqual(john.followers.count(), 1)

    def test_self_follows(self):
        u = User(email='john@example.com', password='cat')
        db.session.add(u)
        db.session.commit()
        self.assertTrue(u.is_following(u))
        # a user from before the self-follows, then brought up to date, twice
        u.unfollow(u)
        db.session.commit()
        User.add_self_follows()
        User.add_self_follows()
        self.assertTrue(u.is_following(u))
        self.assertEqual(Follow.query.count(), 1)
