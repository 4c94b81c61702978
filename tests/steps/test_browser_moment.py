"""Step 3e in a real browser: moment.js turns the server's UTC time into the reader's time."""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

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
