import unittest

from flask import current_app

from app import create_app, db


class BasicsTestCase(unittest.TestCase):
    def setUp(self):
        self.app = create_app('testing')
        self.app_context = self.app.app_context()
        self.app_context.push()
        db.create_all()

    def tearDown(self):
        db.session.remove()
        db.drop_all()
        self.app_context.pop()

    def test_app_exists(self):
        # current_app is a proxy and never None: check it stands for the app made here
        self.assertIs(current_app._get_current_object(), self.app)

    def test_app_is_testing(self):
        self.assertTrue(current_app.config['TESTING'])
