"""The pages ship no JavaScript or CSS library with a known vulnerability that has a fix.

From 3b (Flask-Bootstrap) on, the home page, the 404 page and the user page are fetched
with the test client, then every script and stylesheet they load. The library and version
are read from each file itself: Bootstrap's and jQuery's banner, moment.js's version
property (its minified build has no banner); PageDown's files (11e on), which name no
version, are known by the sha256 that scripts/assets pins for them. Each must be at least
MINIMUM. retire.js, when installed (`npm ci`, package.json), checks every script and
stylesheet of the steps' static folders, each distinct file once, against its repository of
advisories; only the ACCEPTED ones, which no release of Bootstrap 3 fixes, may remain, and no
step may use the parts of Bootstrap they are about.
"""
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import flask_bootstrap
import pytest

import depends
import pages
import support
from script_support import load_script
from support import steplib

NOT_FOUND = '/no-such-page-here'
PAGES = ['/', NOT_FOUND, '/user/Dave']
# the application's own files, from 10c: its stylesheet for the profile page
OWN_FILES = ('styles.css',)
MINIMUM = {'Bootstrap css': (3, 4, 1), 'Bootstrap js': (3, 4, 1), 'jQuery': (3, 7, 0),
           'moment.js': (2, 30, 1), 'PageDown': (1, 1, 0)}
# (library, how its version is written in the file), the first match wins
VERSIONS = [
    ('Bootstrap', re.compile(r'\A/\*!\s*\*\s*Bootstrap v(\d+\.\d+\.\d+)')),
    ('jQuery', re.compile(r'\A/\*! jQuery v(\d+\.\d+\.\d+)')),
    ('moment.js', re.compile(r'\A//! moment\.js\s+//! version : (\d+\.\d+\.\d+)')),
    ('moment.js', re.compile(r'\.version="(\d+\.\d+\.\d+)".{0,400}\.isMoment=', re.S)),
]

RETIRE = steplib.ROOT / 'node_modules' / '.bin' / 'retire'
JSREPO = steplib.ROOT.parent / 'shared' / 'reference' / 'retire-jsrepository.json'
# Advisories about Bootstrap 3.4.1 itself: Bootstrap 3 has no later release. Each is about a
# part of Bootstrap that no step uses (test_no_step_uses_what_the_accepted_advisories_are_about).
ACCEPTED = {
    'CVE-2024-6485': 'the button plugin inserts data-loading-text (and other data-*-text) '
                     'as HTML: no page uses button states',
    'CVE-2025-1647': "tooltips and popovers: their sanitizer can be bypassed; no page has one",
    'Bootstrap before 4.0.0 is end-of-life and no longer maintained.':
        'Flask-Bootstrap is built on Bootstrap 3, as the book is',
}
UNUSED_PARTS = re.compile(r'data-[\w-]*-text|\.button\(|tooltip|popover', re.I)


def pinned_without_version():
    """{sha256: (library, version)} of the files that scripts/assets pins but that name no
    version of their own (PageDown's)."""
    known = {}
    for spec, _, _, files in load_script('assets').PACKAGES:
        package, version = spec.split('@')
        if package == 'pagedown':
            for digest in files.values():
                known[digest] = ('PageDown', tuple(int(n) for n in version.split('.')))
    return known


WITHOUT_VERSION = pinned_without_version()


def version_of(data, mimetype):
    """(library, version as a tuple of ints) read from a file, or None for an unknown one."""
    digest = hashlib.sha256(data).hexdigest()
    if digest in WITHOUT_VERSION:
        return WITHOUT_VERSION[digest]
    head = data.decode('utf-8', errors='replace')
    for library, pattern in VERSIONS:
        found = pattern.search(head)
        if found:
            if library == 'Bootstrap':
                library += ' css' if mimetype == 'text/css' else ' js'
            return library, tuple(int(n) for n in found[1].split('.'))
    return None


def too_old(library, version):
    return version < MINIMUM[library]


def loaded_files(client):
    """{page: {url: (mimetype, bytes)}} of the scripts and stylesheets each page loads."""
    found, fetched = {}, {}
    for page in PAGES:
        html = client.get(page, follow_redirects=True).get_data(as_text=True)
        urls = [attrs['src'] for attrs in pages.tags(html, 'script') if attrs.get('src')]
        urls += [attrs['href'] for attrs in pages.tags(html, 'link')
                 if 'stylesheet' in attrs.get('rel', '').split() and attrs.get('href')]
        found[page] = {}
        for url in urls:
            if url not in fetched and not pages.is_remote(url):
                response = client.get(url)
                assert response.status_code == 200, (page, url, response.status_code)
                fetched[url] = (response.mimetype, response.get_data())
            found[page][url] = fetched.get(url)  # None: from another site
    return found


def with_tables(app):
    """Later steps' pages read the database: give them empty tables."""
    if 'sqlalchemy' in app.extensions:
        with app.app_context():
            app.extensions['sqlalchemy'].create_all()
    return app


@pytest.mark.steps('3b', touching=depends.PAGES)
def test_pages_load_recent_libraries_from_the_app(step, app):
    expected = {'Bootstrap css', 'Bootstrap js', 'jQuery'}
    if step in steplib.between('3e'):
        expected.add('moment.js')
    problems, bootstrap_pages = [], []
    for page, files in loaded_files(with_tables(app).test_client()).items():
        libraries = {}
        for url, file in files.items():
            if file is None:
                problems.append('{} loads {} from another site'.format(page, url))
                continue
            if url.rsplit('/', 1)[-1] in OWN_FILES:
                continue  # written for the step itself, not a library with releases
            found = version_of(file[1], file[0])
            if found is None:
                problems.append('{} loads {}: no library this test knows'.format(page, url))
                continue
            library, version = found
            libraries[library] = version
            if too_old(library, version):
                problems.append('{} loads {} {} ({}), older than {}'.format(
                    page, library, '.'.join(map(str, version)), url,
                    '.'.join(map(str, MINIMUM[library]))))
        if libraries:
            bootstrap_pages.append(page)
            # the home page's post form has the Markdown preview
            wanted = expected | ({'PageDown'} if page == '/' and step in steplib.between('11e')
                                 else set())
            if set(libraries) != wanted:
                problems.append('{} loads {}, not {}'.format(page, sorted(libraries),
                                                             sorted(wanted)))
    # 3b's home and 404 pages are not Bootstrap pages yet: 3c makes them extend base.html
    assert bootstrap_pages == (['/user/Dave'] if step.name == '3b' else PAGES)
    assert not problems, '\n'.join(problems)


def test_version_reader_refuses_the_old_files():
    """The test above can fail: Flask-Bootstrap's own copies and the book's moment.js are
    read correctly, and too old."""
    static = Path(flask_bootstrap.__file__).parent / 'static'
    old = {
        ('css/bootstrap.min.css', 'text/css'): ('Bootstrap css', (3, 3, 7)),
        ('js/bootstrap.min.js', 'text/javascript'): ('Bootstrap js', (3, 3, 7)),
        ('jquery.min.js', 'text/javascript'): ('jQuery', (1, 12, 4)),
    }
    for (name, mimetype), expected in old.items():
        assert version_of((static / name).read_bytes(), mimetype) == expected, name
        assert too_old(*expected)
    book_moment = b'//! moment.js\n//! version : 2.8.4\n//! authors : Tim Wood\n'
    assert version_of(book_moment, 'text/javascript') == ('moment.js', (2, 8, 4))
    built = b'c.version="2.29.4",c.fn=u,c.min=function(){},c.duration=Xa,c.isMoment=Q,'
    assert too_old(*version_of(built, 'text/javascript'))
    assert version_of(b'/* my own script */', 'text/javascript') is None


def require_retire():
    support.require(RETIRE.exists() and JSREPO.is_file() and shutil.which('node'),
                    'retire.js checks need node, node_modules/.bin/retire (run `npm ci` in {}) '
                    'and its advisories in {}; found retire={}, repository={}'.format(
                        steplib.ROOT, JSREPO, RETIRE.exists(), JSREPO.is_file()))


def retire(folder):
    """retire.js's findings on the .js files of a folder: {file name: [(component, version,
    [advisory ids])]}, with every component it recognised (--verbose), vulnerable or not."""
    result = subprocess.run([str(RETIRE), '--path', str(folder), '--jsrepo', str(JSREPO),
                             '--outputformat', 'json', '--verbose'],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 13), result.stderr  # 13: something vulnerable found
    findings = {}
    for entry in json.loads(result.stdout)['data']:
        for component in entry['results']:
            ids = [name for v in component.get('vulnerabilities', [])
                   for name in v['identifiers'].get('CVE') or [v['identifiers']['summary']]]
            findings.setdefault(Path(entry['file']).name, []).append(
                (component['component'], component['version'], sorted(ids)))
    return findings


def test_retire_finds_only_the_accepted_advisories(tmp_path):
    require_retire()
    folder = tmp_path / 'served'
    folder.mkdir()
    served_by = {}  # file written for retire -> the steps that hold it
    # every script and stylesheet of every step's static folder, each distinct file once:
    # what the pages load comes from there (test_pages_load_recent_libraries_from_the_app
    # checks, step by step, that they load nothing else), so nothing they load is left out
    for step in steplib.between('3b'):
        static = step.path / ('app/static' if (step.path / 'app').is_dir() else 'static')
        for path in sorted(static.rglob('*')):
            if path.suffix not in ('.js', '.css'):
                continue
            data = path.read_bytes()
            name = '{}-{}'.format(hashlib.sha256(data).hexdigest()[:12], path.name)
            (folder / name).write_bytes(data)
            served_by.setdefault(name, set()).add(step.name)
    findings = retire(folder)
    recognised = {(component, version) for found in findings.values()
                  for component, version, _ in found}
    # retire.js knows these files: finding nothing is not for want of recognising them
    assert {('bootstrap', '3.4.1'), ('jquery', '3.7.1'), ('moment.js', '2.30.1')} <= recognised
    unexpected = ['{} ({}, served by {}): {} {}'.format(
                      ', '.join(sorted(set(ids) - set(ACCEPTED))), name,
                      ' '.join(sorted(served_by[name])), component, version)
                  for name, found in sorted(findings.items())
                  for component, version, ids in found if set(ids) - set(ACCEPTED)]
    assert not unexpected, '\n'.join(unexpected)


def test_retire_reports_the_old_files(tmp_path):
    """The check above can fail: Flask-Bootstrap's bundled jQuery and Bootstrap, which the
    steps served before, have advisories with fixes."""
    require_retire()
    static = Path(flask_bootstrap.__file__).parent / 'static'
    for name in ('jquery.min.js', 'js/bootstrap.min.js'):
        shutil.copy(static / name, tmp_path)
    findings = retire(tmp_path)
    [(component, version, ids)] = findings['jquery.min.js']
    assert (component, version) == ('jquery', '1.12.4')
    # htmlPrefilter and <option> XSS, fixed in 3.5.0
    assert {'CVE-2020-11022', 'CVE-2020-11023'} <= set(ids)
    [(component, version, ids)] = findings['bootstrap.min.js']
    assert (component, version) == ('bootstrap', '3.3.7')
    # XSS through data-target, data-parent and the tooltip template, fixed in 3.4.0-3.4.1
    assert {'CVE-2016-10735', 'CVE-2018-14040', 'CVE-2019-8331'} <= set(ids)


def test_no_step_uses_what_the_accepted_advisories_are_about():
    """Button states (data-loading-text), tooltips and popovers: in no template or module."""
    uses = []
    for step in steplib.between('3b'):
        for name in steplib.files(step.path):
            if name.suffix in ('.html', '.py', '.js') and 'static' not in name.parts:
                text = (step.path / name).read_text(errors='replace')
                uses += ['{}/{}: {}'.format(step.name, name, m[0])
                         for m in UNUSED_PARTS.finditer(text)]
    assert not uses, '\n'.join(uses)
