"""A pytest plugin for scripts/check: each test's outcome, as a promise a learner reads.

Loaded with `-p check_report`; writes JSON to the file named by FLASKY_CHECK_REPORT: one
entry per test, in the order they ran, with the promise (the test's name in words), the outcome and, for a failure, the reason in a line or two.
"""
import json
import os

import pytest

_results = {}


def promise(item):
    # the tests' names are written as promises: test_user_route_escapes_the_name
    sentence = item.originalname[len('test_'):].replace('_', ' ')
    callspec = getattr(item, 'callspec', None)
    variant = callspec.id.split('-', 1)[1] if callspec and '-' in callspec.id else ''
    if len(variant) > 40:
        variant = variant[:39] + '…'
    return sentence + (' [{}]'.format(variant) if variant.strip() else '')


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.user_properties.append(('promise', promise(item)))


def reason(report):
    if isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
        text = report.longrepr[2]
    else:
        crash = getattr(report.longrepr, 'reprcrash', None)
        text = crash.message if crash else str(report.longrepr)
    lines = [line for line in text.splitlines() if line.strip()][:2]
    return ' / '.join(line.strip()[:160] for line in lines)


def pytest_runtest_logreport(report):
    entry = _results.setdefault(report.nodeid, {'outcome': 'passed', 'reason': ''})
    entry['promise'] = dict(report.user_properties).get('promise', report.nodeid)
    if report.failed and entry['outcome'] != 'failed':
        entry.update(outcome='failed', reason=reason(report))
    elif report.skipped and entry['outcome'] == 'passed':
        entry.update(outcome='skipped', reason=reason(report))


def pytest_sessionfinish(session):
    path = os.environ.get('FLASKY_CHECK_REPORT')
    if path and not hasattr(session.config, 'workerinput'):
        with open(path, 'w') as f:
            json.dump([dict(entry, test=nodeid) for nodeid, entry in _results.items()], f,
                      indent=1)
