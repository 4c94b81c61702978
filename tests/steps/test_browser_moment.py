"""Step 3e in a real browser: moment.js turns the server's UTC time into the reader's time;
and Bootstrap's JavaScript works with the jQuery the steps serve (3e and the newest step)."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support import run_in_step, steplib

# far from UTC, and half an hour off, so that a time handled in the wrong zone shows
READER_ZONE = 'Asia/Kolkata'
SERVER_ZONE = 'America/Sao_Paulo'
LLL = re.compile(r'(January|February|March|April|May|June|July|August|September|October|'
                 r'November|December) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}) (AM|PM)')


@pytest.mark.steps('3e', '3e')
def test_browser_shows_the_local_time_and_how_long_ago(step, serve, browser):
    server = serve(env={'TZ': SERVER_ZONE})
    browser.set_time_zone(READER_ZONE)
    before = datetime.now(ZoneInfo(READER_ZONE))
    browser.open(server.url + '/')
    text = browser.wait_for_text('a few seconds ago')
    after = datetime.now(ZoneInfo(READER_ZONE))

    found = LLL.search(text)
    assert found, 'no date in the format of LLL on the page:\n' + text
    month, day, year, hour, minute, half = found.groups()
    # today's date, computed here: either side of the page load (in case midnight passed)
    assert any((month, int(day), int(year)) == (d.strftime('%B'), d.day, d.year)
               for d in (before, after)), (found.group(0), before, after)
    shown = datetime.strptime(found.group(0), '%B %d, %Y %I:%M %p').replace(
        tzinfo=ZoneInfo(READER_ZONE))
    assert before - timedelta(minutes=1) <= shown <= after, (found.group(0), before, after)

    # the raw ISO timestamps Flask-Moment writes are hidden once moment.js has run
    assert not re.search(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', text), text
    # moment.js came from the app itself (the server's access log says so)
    assert re.search(r'"GET /static/moment[\w.-]*\.js[^"]*" (200|304)', server.output())
    assert 'SEVERE' not in browser.console()


# a dropdown as Bootstrap 3 writes one; no step has one yet, so the test adds it to the navbar
DROPDOWN = '''
var item = document.createElement('li');
item.className = 'dropdown';
item.innerHTML = '<a href="#" class="dropdown-toggle" data-toggle="dropdown" id="test-toggle">' +
    'Account <b class="caret"></b></a>' +
    '<ul class="dropdown-menu"><li><a href="#" id="test-item">Log Out</a></li></ul>';
document.querySelector('#navbar-links .navbar-nav').appendChild(item);
'''


def check_bootstrap_javascript(browser, url):
    """The versions the page runs, the navbar folding at a phone's width, a dropdown."""
    browser.open(url)
    versions = browser.wait_until(lambda b: b.execute_script(
        'return [jQuery.fn.jquery, jQuery.fn.collapse.Constructor.VERSION, moment.version]'))
    assert versions == ['3.7.1', '3.4.1', '2.30.1']

    browser.execute_script(DROPDOWN)
    browser.find('#test-toggle').click()
    browser.wait_until(lambda b: b.find('#test-item').is_displayed(), message='dropdown open')
    assert 'open' in browser.find('li.dropdown').get_attribute('class').split()

    # below Bootstrap's 768px breakpoint the links hide behind the toggle button
    browser.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': 375, 'height': 700, 'deviceScaleFactor': 2, 'mobile': True})
    try:
        browser.open(url)
        home = browser.find('#navbar-links a')
        assert not home.is_displayed()
        browser.find('.navbar-toggle').click()
        browser.wait_until(lambda b: home.is_displayed(), message='the navbar links shown')
    finally:
        browser.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
    assert 'SEVERE' not in browser.console()


@pytest.mark.steps('3e', '3e')
def test_navbar_folds_and_dropdowns_open_in_the_browser(step, serve, browser):
    check_bootstrap_javascript(browser, serve().url + '/')


@pytest.mark.steps(steplib.newest().name)
def test_navbar_folds_and_dropdowns_open_in_the_newest_step(step, serve, browser, tmp_path):
    if (step.path / 'migrations').is_dir():  # a database with its tables, as `make run` has
        result = run_in_step(step, tmp_path, step.script, 'db', 'upgrade')
        assert result.returncode == 0, result.stderr
    check_bootstrap_javascript(browser, serve().url + '/')
