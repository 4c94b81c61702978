"""The security battery: open redirects. A link to this site must never send the browser on
to another one: not through the login page's `next`, nor through any other route given an
address in its query."""
import re
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from test_security_requests import ROUTES, make_world
from world import log_in
from world import request as send

# addresses of another site, as an attacker writes them to get past a check
ELSEWHERE = ['https://evil.example/', '//evil.example/', '/\\evil.example/', '\\\\evil.example',
             '/\t/evil.example', ' //evil.example', 'https:evil.example',
             'http://localhost@evil.example/', 'javascript:alert(1)', '/%2F%2Fevil.example',
             '///evil.example', '\\/evil.example']


def leaves_the_site(location, base='http://localhost/'):
    """Where a browser would go from `location`, read as browsers do: a backslash is a
    slash, tabs and newlines are dropped, and any number of slashes starts an address."""
    cleaned = ''.join(ch for ch in location.replace('\\', '/') if ch not in '\t\n\r').strip()
    cleaned = re.sub(r'^/{2,}', '//', cleaned)
    target = urlsplit(urljoin(base, cleaned))
    return target.scheme not in ('http', 'https') or target.hostname != 'localhost'


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


@pytest.mark.steps('4b', touching=ROUTES)
def test_no_route_redirects_to_an_address_from_its_query(app, step_module, client, request):
    world = make_world(app, step_module, request)
    visitors = [app.test_client()]
    if world.users:
        visitors.append(app.test_client())
        log_in(visitors[-1])
    rules = [rule for rule in app.url_map.iter_rules()
             if 'GET' in rule.methods and not rule.endpoint.endswith('static')]
    for rule in rules:
        path = world.path(rule, rule.endpoint)
        for address in ELSEWHERE[:4]:
            query = urlencode({'next': address, 'url': address, 'page': address})
            for visitor in visitors:
                response = send(visitor, 'GET', '{}?{}'.format(path, query))
                location = response.headers.get('Location')
                assert location is None or not leaves_the_site(location), (path, location)
