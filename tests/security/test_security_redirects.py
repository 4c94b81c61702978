"""The security battery: open redirects. A link to this site must never send the browser on
to another one: not through the login page's `next` (here), nor through any other route
given an address in its query (test_security_requests, which tries every GET route)."""
from urllib.parse import urlencode

import pytest

from test_security_requests import make_world
from world import ELSEWHERE, leaves_the_site
from world import request as send


def test_the_check_knows_another_site_when_it_sees_one():
    assert all(leaves_the_site(address) for address in ELSEWHERE if '%' not in address)
    assert not any(leaves_the_site(address) for address in ('/', '/user/john?page=2',
                                                             'http://localhost/auth/login'))


@pytest.mark.steps('8c', touching=('app/auth/views.py', 'app/auth/forms.py'))
def test_the_login_page_sends_only_to_this_site(app, step_module, client, request):
    make_world(app, step_module, request)
    for address in ELSEWHERE:
        response = send(app.test_client(), 'POST', '/auth/login?' + urlencode(
            {'next': address}), data={'email': 'john@example.com', 'password': 'cat'})
        assert response.status_code == 302, address
        assert not leaves_the_site(response.headers['Location']), (
            address, response.headers['Location'])
    # an address of this site is kept, query and all
    response = send(app.test_client(), 'POST', '/auth/login?' + urlencode(
        {'next': '/user/john?page=1'}), data={'email': 'john@example.com', 'password': 'cat'})
    assert response.headers['Location'] == '/user/john?page=1'
