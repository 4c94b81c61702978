import hashlib
from datetime import datetime, timedelta, timezone

import jwt
import nh3
from flask import current_app, url_for
from markdown import markdown
from flask_login import AnonymousUserMixin, UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from . import db, login_manager
from .exceptions import ValidationError


def utcnow():
    """Now, in UTC, without a time zone, as the database keeps it (datetime.utcnow() is
    deprecated since Python 3.12)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def json_time(value):
    """A time of the database (naive, UTC) as JSON shows it: ISO 8601, Z for UTC."""
    return value.isoformat() + 'Z' if value is not None else None


def make_token(payload, expiration):
    """A signed token that carries `payload` and expires `expiration` seconds from now."""
    payload = dict(payload, exp=datetime.now(timezone.utc) + timedelta(seconds=expiration))
    return jwt.encode(payload, current_app.config['SECRET_KEY'], algorithm='HS256')


def read_token(token):
    """The payload of a token from make_token(); None if it was altered or has expired."""
    try:
        return jwt.decode(token, current_app.config['SECRET_KEY'], algorithms=['HS256'])
    except jwt.InvalidTokenError:
        return None


class Permission:
    # one bit each: a role's permissions are these numbers OR-ed together
    FOLLOW = 0x01
    COMMENT = 0x02
    WRITE_ARTICLES = 0x04
    MODERATE_COMMENTS = 0x08
    ADMINISTER = 0x80


class Role(db.Model):
    __tablename__ = 'roles'
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(64), unique=True)
    # the role a new user gets: exactly one role should have it
    default = db.Column(db.Boolean, default=False, index=True)
    permissions = db.Column(db.Integer, default=0)
    # 'dynamic': role.users is a query to refine (role.users.count(), .order_by(...)), and
    # the backref gives every User a .role
    users = db.relationship('User', backref='role', lazy='dynamic')

    def __repr__(self):
        return '<Role %r>' % self.name

    @staticmethod
    def insert_roles():
        """Create the roles, or bring existing ones up to date: safe to run again."""
        roles = {
            'User': (Permission.FOLLOW |
                     Permission.COMMENT |
                     Permission.WRITE_ARTICLES, True),
            'Moderator': (Permission.FOLLOW |
                          Permission.COMMENT |
                          Permission.WRITE_ARTICLES |
                          Permission.MODERATE_COMMENTS, False),
            'Administrator': (0xff, False)
        }
        for name, (permissions, default) in roles.items():
            role = Role.query.filter_by(name=name).first()
            if role is None:
                role = Role(name=name)
            role.permissions = permissions
            role.default = default
            db.session.add(role)
        db.session.commit()


class Follow(db.Model):
    # one row for each (follower, followed) pair: a many-to-many between users, with a
    # column of its own (when it began), so a model rather than a plain association table
    __tablename__ = 'follows'
    follower_id = db.Column(db.Integer, db.ForeignKey('users.id'), primary_key=True)
    followed_id = db.Column(db.Integer, db.ForeignKey('users.id'), primary_key=True)
    timestamp = db.Column(db.DateTime, default=utcnow)


class User(UserMixin, db.Model):
    __tablename__ = 'users'
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(64), unique=True, index=True)
    username = db.Column(db.String(64), unique=True, index=True)
    role_id = db.Column(db.Integer, db.ForeignKey('roles.id'))
    # 256, not the book's 128: today's scrypt hashes are 162 characters long
    password_hash = db.Column(db.String(256))
    confirmed = db.Column(db.Boolean, default=False)
    name = db.Column(db.String(64))
    location = db.Column(db.String(64))
    about_me = db.Column(db.Text())
    # the function, not its result: called for each new user
    member_since = db.Column(db.DateTime(), default=utcnow)
    last_seen = db.Column(db.DateTime(), default=utcnow)
    # 64 hexadecimal digits: a SHA-256 (the book's MD5 had 32)
    avatar_hash = db.Column(db.String(64))
    # user.posts is a query (user.posts.count(), .order_by(...)); each Post gets .author
    # lazy='joined' on the backrefs: a post or comment comes with its author in the same
    # statement, as the follows do; lazily, a page of 50 posts sent one more for each author
    posts = db.relationship('Post', backref=db.backref('author', lazy='joined'),
                            lazy='dynamic')
    comments = db.relationship('Comment', backref=db.backref('author', lazy='joined'),
                               lazy='dynamic')
    # both foreign keys of Follow point at users: each side says which one it goes through.
    # user.followed: the Follow rows where the user follows someone (f.followed is that
    # someone); user.followers: the rows where someone follows the user (f.follower).
    # Deleting a user deletes their rows on both sides (cascade).
    followed = db.relationship('Follow', foreign_keys=[Follow.follower_id],
                               backref=db.backref('follower', lazy='joined'),
                               lazy='dynamic', cascade='all, delete-orphan')
    followers = db.relationship('Follow', foreign_keys=[Follow.followed_id],
                                backref=db.backref('followed', lazy='joined'),
                                lazy='dynamic', cascade='all, delete-orphan')

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.role is None:
            admin = current_app.config['FLASKY_ADMIN']
            # a query flushes the session first, and SQLAlchemy warns about users made
            # earlier but never added to it: no flush for these lookups
            with db.session.no_autoflush:
                # without FLASKY_ADMIN nobody is made administrator (a user with no email too)
                if admin and self.email and self.email.lower() == admin.lower():
                    self.role = Role.query.filter_by(name='Administrator').first()
                if self.role is None:
                    self.role = Role.query.filter_by(default=True).first()
        # hashed once here, not again for every picture on every page
        if self.email is not None and self.avatar_hash is None:
            self.avatar_hash = self.gravatar_hash()
        # users follow themselves, so that their own posts are among the followed posts
        self.followed.append(Follow(followed=self))

    @staticmethod
    def add_self_follows():
        """Make every user follow themselves: for users made before 12e; safe to run again."""
        for user in User.query.all():
            if not user.is_following(user):
                user.follow(user)
                db.session.add(user)
        db.session.commit()

    @property
    def password(self):
        # only the hash is kept: there is no password to give back
        raise AttributeError('password is not a readable attribute')

    @password.setter
    def password(self, password):
        self.password_hash = generate_password_hash(password)

    def verify_password(self, password):
        return check_password_hash(self.password_hash, password)

    def generate_confirmation_token(self, expiration=3600):
        return make_token({'confirm': self.id}, expiration)

    def confirm(self, token):
        data = read_token(token)
        # the key names the token's purpose, its value the user: another user's token, or
        # a token made for something else, confirms nothing
        if data is None or 'confirm' not in data or data['confirm'] != self.id:
            return False
        self.confirmed = True
        db.session.add(self)
        return True

    def generate_reset_token(self, expiration=3600):
        return make_token({'reset': self.id}, expiration)

    @staticmethod
    def reset_password(token, new_password):
        # a static method: whoever resets a password is not logged in, the token names the user
        data = read_token(token)
        if data is None or 'reset' not in data:
            return False
        user = db.session.get(User, data['reset'])
        if user is None:
            return False
        user.password = new_password
        db.session.add(user)
        return True

    def generate_email_change_token(self, new_email, expiration=3600):
        return make_token({'change_email': self.id, 'new_email': new_email}, expiration)

    def change_email(self, token):
        data = read_token(token)
        if data is None or 'change_email' not in data or data['change_email'] != self.id:
            return False
        new_email = data.get('new_email')
        # someone may have registered the address since the token was made
        if new_email is None or User.query.filter_by(email=new_email).first() is not None:
            return False
        self.email = new_email
        self.avatar_hash = self.gravatar_hash()
        db.session.add(self)
        return True

    def can(self, permissions):
        # a role made before 9a has no permissions at all (NULL): none
        return self.role is not None and \
            ((self.role.permissions or 0) & permissions) == permissions

    def is_administrator(self):
        return self.can(Permission.ADMINISTER)

    @staticmethod
    def generate_fake(count=100, seed=None):
        """Add up to `count` users with made-up details, all with the password 'password';
        the same seed makes the same users."""
        # imported here: Faker is a development requirement, not installed in production
        from faker import Faker
        from sqlalchemy.exc import IntegrityError

        fake = Faker()
        fake.seed_instance(seed)
        # hashed once, not a hundred times: each hash takes a good fraction of a second
        password_hash = generate_password_hash('password')
        for i in range(count):
            u = User(email=fake.email(),
                     username=fake.user_name(),
                     password_hash=password_hash,
                     confirmed=True,
                     name=fake.name(),
                     location=fake.city(),
                     about_me=fake.text(),
                     member_since=fake.date_time_between(
                         start_date='-1y', tzinfo=timezone.utc).replace(tzinfo=None))
            db.session.add(u)
            # a made-up email or username may be taken already: skip that user, go on
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()

    def follow(self, user):
        if not self.is_following(user):
            db.session.add(Follow(follower=self, followed=user))

    def unfollow(self, user):
        f = self.followed.filter_by(followed_id=user.id).first()
        if f is not None:
            db.session.delete(f)

    def is_following(self, user):
        return self.followed.filter_by(followed_id=user.id).first() is not None

    def is_followed_by(self, user):
        return self.followers.filter_by(follower_id=user.id).first() is not None

    @property
    def followed_posts(self):
        # one query: the posts joined to the follows that point at their authors, kept where
        # the follower is this user (no loop over the followed users in Python)
        return Post.query.join(Follow, Follow.followed_id == Post.author_id) \
            .filter(Follow.follower_id == self.id)

    def generate_auth_token(self, expiration):
        # its own key: a confirmation or reset token is no key to the API, nor this one to them
        return make_token({'auth': self.id}, expiration)

    @staticmethod
    def verify_auth_token(token):
        data = read_token(token)
        if data is None or 'auth' not in data:
            return None
        return db.session.get(User, data['auth'])

    def to_json(self):
        # what anyone may know of a user: no email, and never the password's hash
        json_user = {
            'url': url_for('api.get_user', id=self.id, _external=True),
            'username': self.username,
            'member_since': json_time(self.member_since),
            'last_seen': json_time(self.last_seen),
            'posts_url': url_for('api.get_user_posts', id=self.id, _external=True),
            'followed_posts_url': url_for('api.get_user_followed_posts', id=self.id,
                                          _external=True),
            'post_count': self.posts.count()
        }
        return json_user

    def ping(self):
        self.last_seen = utcnow()
        db.session.add(self)
        db.session.commit()

    def gravatar_hash(self):
        # Gravatar takes the SHA-256 of the address (the book used MD5)
        return hashlib.sha256((self.email or '').lower().encode('utf-8')).hexdigest()

    def gravatar(self, size=100, default='identicon', rating='g'):
        # always over HTTPS
        url = 'https://www.gravatar.com/avatar'
        hash = self.avatar_hash or self.gravatar_hash()
        return '{url}/{hash}?s={size}&d={default}&r={rating}'.format(
            url=url, hash=hash, size=size, default=default, rating=rating)

    def __repr__(self):
        return '<User %r>' % self.username


class AnonymousUser(AnonymousUserMixin):
    # current_user for a visitor who is not logged in: it can do nothing
    def can(self, permissions):
        return False

    def is_administrator(self):
        return False


login_manager.anonymous_user = AnonymousUser


class Post(db.Model):
    __tablename__ = 'posts'
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text)
    # the body as HTML, made once when the body is set, not on every page view
    body_html = db.Column(db.Text)
    # indexed: the pages list posts newest first
    timestamp = db.Column(db.DateTime, index=True, default=utcnow)
    author_id = db.Column(db.Integer, db.ForeignKey('users.id'))
    comments = db.relationship('Comment', backref='post', lazy='dynamic')

    @staticmethod
    def generate_fake(count=100, seed=None):
        """Add `count` posts with made-up text, each by one of the users, picked at random."""
        from faker import Faker

        fake = Faker()
        fake.seed_instance(seed)
        user_count = User.query.count()
        if user_count == 0:
            raise ValueError('there are no users to write the posts: '
                             'run User.generate_fake() first')
        for i in range(count):
            # in the order of their ids, so that a seed picks the same authors every time
            u = User.query.order_by(User.id).offset(fake.random_int(0, user_count - 1)).first()
            p = Post(body=fake.paragraph(nb_sentences=fake.random_int(1, 5)),
                     timestamp=fake.date_time_between(
                         start_date='-1y', tzinfo=timezone.utc).replace(tzinfo=None),
                     author=u)
            db.session.add(p)
        db.session.commit()

    def to_json(self):
        # addresses, not ids: a client follows them as a browser follows links
        json_post = {
            'url': url_for('api.get_post', id=self.id, _external=True),
            'body': self.body,
            'body_html': self.body_html,
            'timestamp': json_time(self.timestamp),
            'author_url': url_for('api.get_user', id=self.author_id, _external=True),
            'comments_url': url_for('api.get_post_comments', id=self.id, _external=True),
            'comment_count': self.comment_count
        }
        return json_post

    @staticmethod
    def from_json(json_post):
        # what a client sent, trusted for nothing: an object, with a body that is text
        if not isinstance(json_post, dict):
            raise ValidationError('the request must send a JSON object (application/json)')
        body = json_post.get('body')
        if body is None or body == '':
            raise ValidationError('post does not have a body')
        if not isinstance(body, str):
            raise ValidationError('post body must be a string')
        return Post(body=body)

    @staticmethod
    def on_changed_body(target, value, oldvalue, initiator):
        # the tags Markdown needs and nothing else: no script, no style, no event handler
        allowed_tags = {'a', 'abbr', 'acronym', 'b', 'blockquote', 'code', 'em', 'i', 'li',
                        'ol', 'pre', 'strong', 'ul', 'h1', 'h2', 'h3', 'p'}
        allowed_attributes = {'a': {'href', 'title'}, 'abbr': {'title'}, 'acronym': {'title'}}
        # magiclink turns a bare https://... into a link; nh3 drops everything not allowed,
        # a link to javascript: or data: included
        html = markdown(value, output_format='html', extensions=['pymdownx.magiclink'])
        target.body_html = nh3.clean(html, tags=allowed_tags, attributes=allowed_attributes,
                                     url_schemes={'http', 'https', 'mailto'},
                                     link_rel='nofollow noopener noreferrer')


# whenever a post's body is set, body_html is made again
db.event.listen(Post.body, 'set', Post.on_changed_body)


class Comment(db.Model):
    __tablename__ = 'comments'
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.Text)
    body_html = db.Column(db.Text)
    timestamp = db.Column(db.DateTime, index=True, default=utcnow)
    # set by a moderator (13b): the comment stays, its text is no longer shown
    disabled = db.Column(db.Boolean, default=False)
    author_id = db.Column(db.Integer, db.ForeignKey('users.id'))
    post_id = db.Column(db.Integer, db.ForeignKey('posts.id'))

    def to_json(self):
        json_comment = {
            'url': url_for('api.get_comment', id=self.id, _external=True),
            'post_url': url_for('api.get_post', id=self.post_id, _external=True),
            # a disabled comment keeps its text from the API too, as from the pages
            'body': None if self.disabled else self.body,
            'body_html': None if self.disabled else self.body_html,
            'disabled': bool(self.disabled),
            'timestamp': json_time(self.timestamp),
            'author_url': url_for('api.get_user', id=self.author_id, _external=True),
        }
        return json_comment

    @staticmethod
    def from_json(json_comment):
        if not isinstance(json_comment, dict):
            raise ValidationError('the request must send a JSON object (application/json)')
        body = json_comment.get('body')
        if body is None or body == '':
            raise ValidationError('comment does not have a body')
        if not isinstance(body, str):
            raise ValidationError('comment body must be a string')
        return Comment(body=body)

    @staticmethod
    def on_changed_body(target, value, oldvalue, initiator):
        # as for posts, with fewer tags: a comment is a line or two, no headings or lists
        allowed_tags = {'a', 'abbr', 'acronym', 'b', 'code', 'em', 'i', 'strong'}
        allowed_attributes = {'a': {'href', 'title'}, 'abbr': {'title'}, 'acronym': {'title'}}
        html = markdown(value, output_format='html', extensions=['pymdownx.magiclink'])
        target.body_html = nh3.clean(html, tags=allowed_tags, attributes=allowed_attributes,
                                     url_schemes={'http', 'https', 'mailto'},
                                     link_rel='nofollow noopener noreferrer')


db.event.listen(Comment.body, 'set', Comment.on_changed_body)

# a post's number of comments, counted by the statement that loads the post (a subquery):
# the pages that list posts asked post.comments.count(), one more statement for each post
Post.comment_count = db.column_property(
    db.select(db.func.count(Comment.id)).where(Comment.post_id == Post.id)
    .correlate_except(Comment).scalar_subquery())


@login_manager.user_loader
def load_user(user_id):
    # Flask-Login keeps the id in the session as a string
    return db.session.get(User, int(user_id))
