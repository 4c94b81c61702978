"""A real browser for the tests that need JavaScript: headless Chromium driven by Selenium.

`browser` gives a Browser: one Chromium per pytest-xdist worker, started the first time a
test asks for it and reused after that, with cookies, storage and time zone reset for each
test. Debian's chromium and chromedriver are used as installed; Selenium Manager is never
asked to download a browser or a driver. Without them the tests skip (in CI they fail).
"""
import shutil
import time

import pytest

import support

CHROMIUM = ('/usr/bin/chromium', 'chromium', 'chromium-browser', 'google-chrome')
CHROMEDRIVER = ('/usr/bin/chromedriver', 'chromedriver')
CHROMIUM_ARGS = (
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--window-size=1280,900', '--lang=en-US',
    # no test reaches the internet: every name but the served app's fails to resolve (a
    # Gravatar picture, for one, shows as a failed load, as it would offline)
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
)
WAIT = 10  # seconds a page gets to show what a test waits for


def _which(candidates):
    for name in candidates:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Chromium, with the few moves a test makes: open a page, wait for text, fill a form.

    The Selenium WebDriver itself is `browser.driver`; its other methods are reachable
    directly too (browser.current_url, browser.find_element, ...).
    """

    def __init__(self, driver):
        self.driver = driver

    def __getattr__(self, name):
        return getattr(self.driver, name)

    def open(self, url):
        self.driver.get(url)
        return self

    @property
    def text(self):
        """The text of the page as a reader sees it (hidden elements left out)."""
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, 'body').text

    def wait_until(self, condition, timeout=WAIT, message='condition'):
        """Wait until condition(browser) is true and return its value."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = condition(self)
            except Exception:  # the page may be between two loads
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError('waited {}s for {} on {}\npage text:\n{}\n{}'.format(
                    timeout, message, self.driver.current_url, self._safe_text(),
                    self.console()))
            time.sleep(0.05)

    def wait_for_text(self, text, timeout=WAIT):
        """Wait until the page shows `text`; returns the page text."""
        return self.wait_until(lambda b: b.text if text in b.text else None, timeout,
                               message=repr(text))

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def fill(self, field, value):
        """Type into the form field named `field` (its name attribute)."""
        element = self.find('[name="{}"]'.format(field))
        element.clear()
        element.send_keys(value)
        return element

    def submit(self, css='[type="submit"]'):
        """Click a form's submit button and wait for the next page to replace this one."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.wait import WebDriverWait
        page = self.driver.find_element('tag name', 'html')
        self.find(css).click()
        WebDriverWait(self.driver, WAIT).until(expected_conditions.staleness_of(page))

    def set_time_zone(self, zone):
        """Show dates as a reader in `zone` (an IANA name) would see them; '' resets."""
        self.driver.execute_cdp_cmd('Emulation.setTimezoneOverride', {'timezoneId': zone})

    def console(self):
        """What the page wrote to the JavaScript console (errors included)."""
        try:
            entries = self.driver.get_log('browser')
        except Exception:
            return ''
        return '\n'.join('console {level}: {message}'.format(**e) for e in entries)

    def _safe_text(self):
        try:
            return self.text
        except Exception as error:
            return '({})'.format(error)

    def reset(self):
        self.driver.get('about:blank')
        self.driver.execute_cdp_cmd('Network.clearBrowserCookies', {})
        self.driver.execute_cdp_cmd('Storage.clearDataForOrigin',
                                    {'origin': '*', 'storageTypes': 'all'})
        self.set_time_zone('')
        self.console()  # drop the previous test's messages


def require_chromium():
    """The paths of Chromium and its driver; the test skips without them (fails in CI)."""
    binary, driver_path = _which(CHROMIUM), _which(CHROMEDRIVER)
    support.require(binary and driver_path,
                    'the browser tests need Chromium and its driver (Debian: apt install '
                    'chromium chromium-driver); found browser={}, driver={}'.format(
                        binary, driver_path))
    return binary, driver_path


@pytest.fixture(scope='session')
def chromium(tmp_path_factory):
    """The worker's Chromium (a Selenium WebDriver), started on first use."""
    binary, driver_path = require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary  # with both paths given, Selenium Manager stays idle
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument('--user-data-dir={}'.format(tmp_path_factory.mktemp('chromium')))
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium):
    """A Browser with no cookies or storage left over from another test."""
    browser = Browser(chromium)
    browser.reset()
    yield browser
    browser.reset()
