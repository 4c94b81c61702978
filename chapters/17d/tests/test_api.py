import unittest
from base64 import b64encode

from app import create_app, db
from app.models import Comment, Post, Role, User


class APITestCase(unittest.TestCase):
    def setUp(self):
        self.app = create_app('testing')
        self.app_context = self.app.app_context()
        self.app_context.push()
        db.create_all()
        Role.insert_roles()
        self.client = self.app.test_client()

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        self.app_context.pop()

    def get_api_headers(self, username, password):
        return {
            'Authorization': 'Basic ' + b64encode(
                (username + ':' + password).encode('utf-8')).decode('utf-8'),
            'Accept': 'application/json',
            'Content-Type': 'application/json'
        }

    def add_user(self, email='john@example.com', username='john', confirmed=True):
        user = User(email=email, username=username, password='cat', confirmed=confirmed,
                    role=Role.query.filter_by(name='User').first())
        db.session.add(user)
        db.session.commit()
        return user

    def test_404(self):
        response = self.client.get('/wrong/url',
                                   headers=self.get_api_headers('email', 'password'))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.get_json()['error'], 'not found')

    def test_no_auth(self):
        # no credentials: an anonymous caller, who may read
        response = self.client.get('/api/v1.0/posts/',
                                   content_type='application/json')
        self.assertEqual(response.status_code, 200)

    def test_bad_auth(self):
        self.add_user()
        response = self.client.get('/api/v1.0/posts/',
                                   headers=self.get_api_headers('john@example.com', 'dog'))
        self.assertEqual(response.status_code, 401)

    def test_token_auth(self):
        self.add_user()
        # a bad token
        response = self.client.get('/api/v1.0/posts/',
                                   headers=self.get_api_headers('bad-token', ''))
        self.assertEqual(response.status_code, 401)

        # a token for the password
        response = self.client.get('/api/v1.0/token',
                                   headers=self.get_api_headers('john@example.com', 'cat'))
        self.assertEqual(response.status_code, 200)
        token = response.get_json().get('token')
        self.assertIsNotNone(token)

        # the token in place of the password
        response = self.client.get('/api/v1.0/posts/',
                                   headers=self.get_api_headers(token, ''))
        self.assertEqual(response.status_code, 200)

        # but not to get another token
        response = self.client.get('/api/v1.0/token',
                                   headers=self.get_api_headers(token, ''))
        self.assertEqual(response.status_code, 401)

    def test_expired_and_foreign_tokens(self):
        user = self.add_user()
        for token in (user.generate_auth_token(expiration=-1),
                      user.generate_confirmation_token()):
            response = self.client.get('/api/v1.0/posts/',
                                       headers=self.get_api_headers(token, ''))
            self.assertEqual(response.status_code, 401)

    def test_anonymous(self):
        response = self.client.get('/api/v1.0/posts/',
                                   headers=self.get_api_headers('', ''))
        self.assertEqual(response.status_code, 200)
        response = self.client.post('/api/v1.0/posts/',
                                    headers=self.get_api_headers('', ''),
                                    json={'body': 'anonymous'})
        self.assertEqual(response.status_code, 403)

    def test_unconfirmed_account(self):
        self.add_user(confirmed=False)
        response = self.client.get('/api/v1.0/posts/',
                                   headers=self.get_api_headers('john@example.com', 'cat'))
        self.assertEqual(response.status_code, 403)

    def test_posts(self):
        self.add_user()
        headers = self.get_api_headers('john@example.com', 'cat')

        # a post without a body
        response = self.client.post('/api/v1.0/posts/', headers=headers,
                                    json={'body': ''})
        self.assertEqual(response.status_code, 400)

        # a post
        response = self.client.post('/api/v1.0/posts/', headers=headers,
                                    json={'body': 'body of the *blog* post'})
        self.assertEqual(response.status_code, 201)
        url = response.headers.get('Location')
        self.assertIsNotNone(url)

        # the new post
        response = self.client.get(url, headers=headers)
        self.assertEqual(response.status_code, 200)
        json_post = response.get_json()
        self.assertEqual(json_post['url'], url)
        self.assertEqual(json_post['body'], 'body of the *blog* post')
        self.assertEqual(json_post['body_html'], '<p>body of the <em>blog</em> post</p>')

        # in the user's posts, and in the timeline (users follow themselves)
        user_id = User.query.filter_by(email='john@example.com').first().id
        for address in ('/api/v1.0/users/{}/posts/', '/api/v1.0/users/{}/timeline/'):
            response = self.client.get(address.format(user_id), headers=headers)
            self.assertEqual(response.status_code, 200)
            json_response = response.get_json()
            self.assertEqual(json_response['count'], 1)
            self.assertEqual(json_response['posts'][0], json_post)

        # edited by its author
        response = self.client.put(url, headers=headers, json={'body': 'updated body'})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_json()['body'], 'updated body')

        # but not by another user
        self.add_user('susan@example.com', 'susan')
        response = self.client.put(
            url, headers=self.get_api_headers('susan@example.com', 'cat'),
            json={'body': 'not mine'})
        self.assertEqual(response.status_code, 403)

    def test_users(self):
        u1 = self.add_user()
        u2 = self.add_user('susan@example.com', 'susan')
        for user in (u1, u2):
            response = self.client.get('/api/v1.0/users/{}'.format(user.id),
                                       headers=self.get_api_headers('susan@example.com', 'cat'))
            self.assertEqual(response.status_code, 200)
            json_user = response.get_json()
            self.assertEqual(json_user['username'], user.username)
            self.assertNotIn('email', json_user)
            self.assertNotIn('password_hash', json_user)

    def test_comments(self):
        u1 = self.add_user()
        u2 = self.add_user('susan@example.com', 'susan')
        post = Post(body='body of the post', author=u1)
        db.session.add(post)
        db.session.commit()

        # a comment
        response = self.client.post(
            '/api/v1.0/posts/{}/comments/'.format(post.id),
            headers=self.get_api_headers('susan@example.com', 'cat'),
            json={'body': 'Good [post](http://example.com)!'})
        self.assertEqual(response.status_code, 201)
        json_comment = response.get_json()
        url = response.headers.get('Location')
        self.assertEqual(json_comment['url'], url)
        self.assertEqual(json_comment['body_html'],
                         'Good <a href="http://example.com" '
                         'rel="nofollow noopener noreferrer">post</a>!')

        # another, made directly
        db.session.add(Comment(body='Thank you!', author=u1, post=post))
        db.session.commit()

        # both, under the post and in the list of all comments
        for address in ('/api/v1.0/posts/{}/comments/'.format(post.id),
                        '/api/v1.0/comments/'):
            response = self.client.get(address,
                                       headers=self.get_api_headers('john@example.com', 'cat'))
            self.assertEqual(response.status_code, 200)
            json_response = response.get_json()
            self.assertEqual(json_response['count'], 2)
            self.assertIn(json_comment, json_response['comments'])
        self.assertEqual(u2.comments.count(), 1)
