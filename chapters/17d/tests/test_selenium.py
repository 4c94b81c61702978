import logging
import re
import shutil
import threading
import unittest

from werkzeug.serving import make_server

from app import create_app, db
from app.models import Post, Role, User

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # Selenium is a development requirement
    webdriver = None


def find_program(*names):
    return next(filter(None, map(shutil.which, names)), None)


class SeleniumTestCase(unittest.TestCase):
    client = None

    @classmethod
    def setUpClass(cls):
        chromium = find_program('chromium', 'chromium-browser', 'google-chrome')
        chromedriver = find_program('chromedriver')
        if webdriver is None or chromium is None or chromedriver is None:
            raise unittest.SkipTest('needs Selenium, Chromium and chromedriver '
                                    '(Debian: apt install chromium chromium-driver)')
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ('--headless=new',
                         # Chromium refuses to run as root (a container, CI) with its sandbox
                         '--no-sandbox',
                         # nothing from the internet (the Gravatar pictures): no waiting on it
                         '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'):
            options.add_argument(argument)
        # the driver installed with Chromium: Selenium does not go and download one
        cls.client = webdriver.Chrome(options=options,
                                      service=Service(executable_path=chromedriver))

        cls.app = create_app('testing')
        cls.app_context = cls.app.app_context()
        cls.app_context.push()
        db.create_all()
        Role.insert_roles()
        User.generate_fake(10, seed=1)
        Post.generate_fake(10, seed=1)
        admin_role = Role.query.filter_by(name='Administrator').first()
        admin = User(email='john@example.com', username='john', password='cat',
                     role=admin_role, confirmed=True)
        db.session.add(admin)
        db.session.commit()

        # The app served from a thread, by a server that can be stopped: the book's
        # /shutdown route called a Werkzeug function that no longer exists. Port 0: any
        # free port.
        cls.server = make_server('127.0.0.1', 0, cls.app, threaded=True)
        # its log of each request would be mixed into the tests' output
        logging.getLogger('werkzeug').setLevel(logging.ERROR)
        cls.base_url = 'http://127.0.0.1:{}'.format(cls.server.port)
        cls.server_thread = threading.Thread(target=cls.server.serve_forever)
        cls.server_thread.start()

    @classmethod
    def tearDownClass(cls):
        if cls.client is None:
            return
        cls.server.shutdown()
        cls.server_thread.join()
        cls.client.quit()
        db.session.remove()
        db.drop_all()
        cls.app_context.pop()

    def wait_for(self, pattern):
        """Wait until the page in the browser matches `pattern` (the next page may be
        loading still), and return the match."""
        return WebDriverWait(self.client, 10).until(
            lambda browser: re.search(pattern, browser.page_source))

    def test_admin_home_page(self):
        # the home page
        self.client.get(self.base_url + '/')
        self.assertTrue(self.wait_for(r'Hello,\s+Stranger!'))

        # the login page
        self.client.find_element(By.LINK_TEXT, 'Sign In').click()
        self.assertTrue(self.wait_for('<h1>Login</h1>'))

        # log in
        self.client.find_element(By.NAME, 'email').send_keys('john@example.com')
        self.client.find_element(By.NAME, 'password').send_keys('cat')
        self.client.find_element(By.NAME, 'submit').click()
        self.assertTrue(self.wait_for(r'Hello,\s+john!'))

        # the user's profile
        self.client.find_element(By.LINK_TEXT, 'Profile').click()
        self.assertTrue(self.wait_for('<h1>john</h1>'))
