"""The security battery: who may do what, checked by the server on every route, whatever the
page shows. The routes come from the step's URL map: a new route needs a login unless it is
named public here, and is refused to a normal user when named privileged."""
import base64

import pytest

from test_security_requests import VIEWS, make_world
from world import log_in, site_rules
from world import request as send

# pages anyone may open (everything else needs a login)
PUBLIC = {'index', 'main.index', 'user', 'main.user', 'main.post', 'main.followers',
          'main.followed_by', 'auth.login', 'auth.register', 'auth.unconfirmed',
          'auth.password_reset_request', 'auth.password_reset'}
# routes for a permission a normal user lacks (administrators, moderators)
PRIVILEGED = {'main.edit_profile_admin', 'main.moderate', 'main.moderate_enable',
              'main.moderate_disable'}


def method_of(rule):
    return 'GET' if 'GET' in rule.methods else 'POST'


@pytest.mark.steps('8c', touching=VIEWS)
def test_every_route_but_the_public_ones_needs_a_login(app, step_module, client, request):
    world = make_world(app, step_module, request)
    visitor = app.test_client()
    guarded = [rule for rule in site_rules(app) if rule.endpoint not in PUBLIC]
    assert guarded
    before = world.stored(visitor)[0]
    for rule in guarded:
        path = world.path(rule, rule.endpoint)
        response = send(visitor, method_of(rule), path)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        assert response.headers['Location'].startswith('/auth/login?next='), rule.endpoint
    assert world.stored(visitor)[0] == before  # the database: nothing stored


@pytest.mark.steps('10c', touching=VIEWS)
def test_a_normal_user_is_refused_what_needs_a_permission_or_ownership(app, step_module,
                                                                        client, request):
    world = make_world(app, step_module, request)
    bob, john = app.test_client(), app.test_client()
    log_in(bob, 'bob')
    log_in(john, 'john')
    endpoints = {rule.endpoint: rule for rule in site_rules(app)}
    refused = [endpoints[name] for name in sorted(PRIVILEGED) if name in endpoints]
    if 'main.edit' in endpoints:  # susan's post: bob is not its author
        refused.append(endpoints['main.edit'])
    before = world.stored(app.test_client())[0]
    for rule in refused:
        path = world.path(rule, rule.endpoint)
        for method in sorted(rule.methods - {'HEAD', 'OPTIONS'}):
            assert send(bob, method, path, data={'body': 'by bob'}).status_code == 403, (
                rule.endpoint, method)
        # the administrator may (the check refuses bob, not everyone)
        assert send(john, method_of(rule), path).status_code != 403, rule.endpoint
    assert world.stored(app.test_client())[0] == before
    if any(rule.endpoint == 'api.edit_post' for rule in app.url_map.iter_rules()):
        credentials = base64.b64encode(b'bob@example.com:cat').decode()
        response = send(app.test_client(), 'PUT', '/api/v1.0/posts/{}'.format(
            world.ids['post']), json={'body': 'by bob'},
            headers={'Authorization': 'Basic ' + credentials})
        assert response.status_code == 403
        assert world.stored(app.test_client())[0] == before
