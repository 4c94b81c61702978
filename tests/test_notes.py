"""The notes (notes/*.md): their code matches the step files, their links lead somewhere,
each chapter's page has its sections, and the shell sessions they show still answer so.

notes/README.md describes the formats these tests read.
"""
import doctest
import ipaddress
import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from support import Server, process_env, require, step_env, step_on_path, steplib

ROOT = steplib.ROOT
NOTES = ROOT / 'notes'
EXCERPTS = str(ROOT / 'scripts' / 'excerpts')

# The steps of every chapter, from the specification of the steps: each chapter's page
# must exist and name them.
BOOK_STEPS = {
    1: ['1a'],
    2: ['2a', '2b', '2c'],
    3: ['3a', '3b', '3c', '3d', '3e'],
    4: ['4a', '4b', '4c'],
    5: ['5a', '5b', '5c', '5d'],
    6: ['6a', '6b'],
    7: ['7a'],
    8: ['8a', '8b', '8c', '8d', '8e', '8f', '8g', '8h'],
    9: ['9a'],
    10: ['10a', '10b', '10c', '10d'],
    11: ['11a', '11b', '11c', '11d', '11e', '11f', '11g', '11h'],
    12: ['12a', '12b', '12c', '12d', '12e'],
    13: ['13a', '13b'],
    14: ['14a'],
    15: ['15a', '15b', '15c', '15d'],
    16: ['16a', '16b'],
    17: ['17a', '17b', '17c', '17d'],
}

FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
HEADING = re.compile(r'^(#{1,6})[ \t]+(.*?)[ \t#]*$')
SINCE_HEADER = re.compile(r'^\|\s*The book\s*\|\s*Today\s*\|\s*Why\s*\|\s*$')
TABLE_RULE = re.compile(r'^\|(\s*:?-{3,}:?\s*\|){3}\s*$')
SESSION = re.compile(r'^<!-- session: (\S+) -->[ \t]*$')
CURL_SESSION = re.compile(r'^<!-- curl-session: (\S+) -->[ \t]*$')


def run_excerpts(*args):
    return subprocess.run([sys.executable, EXCERPTS, *args], capture_output=True, text=True,
                          timeout=60)


def note_files():
    return sorted(NOTES.glob('*.md'))


def prose(lines):
    """(number, line) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(lines, 1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match[1]
        elif fence is not None and line.strip() and set(line.strip()) == {fence[0]} \
                and len(line.strip()) >= len(fence):
            fence = None
        elif fence is None:
            yield number, line


def headings(lines):
    """(number, level, text) of every heading outside code blocks."""
    for number, line in prose(lines):
        match = HEADING.match(line)
        if match:
            yield number, len(match[1]), match[2]


# --- (a) every excerpt in the repository matches its source ---------------------------------

def test_every_excerpt_matches_its_source():
    result = run_excerpts('--check')
    assert result.returncode == 0, result.stdout + result.stderr
    count = re.search(r'^(\d+) excerpts? checked', result.stdout, flags=re.M)
    assert count, result.stdout
    assert int(count[1]) > 0


# --- (b) scripts/excerpts on notes and sources of its own ------------------------------------

SOURCE = '''\
from flask import Flask

app = Flask(__name__)


@app.route('/')
def index():
    return 'index'


@app.route('/user/<name>')
def user(name):
    return name


class Greeter:
    """Says hello."""

    @staticmethod
    def greet(name):
        return 'Hello, ' + name
'''

TEMPLATE = '<h1>\n  {{ name }}\n</h1>\n'


def stale(code, lang='python'):
    return '```{}\n{}```\n'.format(lang, code)


@pytest.fixture
def repo(tmp_path):
    """A repository of its own: a source, a template, and notes/ to write pages into."""
    (tmp_path / 'step').mkdir()
    (tmp_path / 'step' / 'hello.py').write_text(SOURCE)
    (tmp_path / 'step' / 'user.html').write_text(TEMPLATE)
    (tmp_path / 'notes').mkdir()
    return tmp_path


def excerpts(repo, *args):
    return subprocess.run([sys.executable, EXCERPTS, '--root', str(repo), *args],
                          capture_output=True, text=True, timeout=60)


def write_note(repo, text):
    note = repo / 'notes' / 'page.md'
    note.write_bytes(text.encode('utf-8'))
    return note


def test_a_current_excerpt_passes_and_is_counted(repo):
    write_note(repo, 'Intro\n\n<!-- excerpt: step/hello.py#user -->\n'
               + stale("@app.route('/user/<name>')\ndef user(name):\n    return name\n"))
    result = excerpts(repo, '--check')
    assert (result.returncode, result.stdout) == (
        0, '1 excerpt checked in 1 note: all match their sources\n')


def test_a_changed_source_is_reported(repo):
    write_note(repo, 'Intro\n\n<!-- excerpt: step/hello.py#user -->\n'
               + stale("@app.route('/user/<name>')\ndef user(name):\n    return name\n"))
    source = repo / 'step' / 'hello.py'
    source.write_text(SOURCE.replace('    return name\n', '    return name.upper()\n'))
    result = excerpts(repo, '--check')
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'notes/page.md:3: step/hello.py#user: differs',
        '1 excerpt checked in 1 note: 1 to fix']


def test_a_deleted_function_is_reported(repo):
    write_note(repo, '<!-- excerpt: step/hello.py#index -->\n' + stale('old\n'))
    (repo / 'step' / 'hello.py').write_text(SOURCE.replace('def index():', 'def home():'))
    result = excerpts(repo, '--check')
    assert result.returncode == 1
    assert "notes/page.md:1: step/hello.py#index: no function or class 'index'" \
        in result.stdout.splitlines()


def test_a_deleted_file_and_a_missing_method_are_reported(repo):
    write_note(repo, '<!-- excerpt: step/gone.py -->\n' + stale('x\n')
               + '\n<!-- excerpt: step/hello.py#Greeter.wave -->\n' + stale('x\n'))
    result = excerpts(repo, '--check')
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        'notes/page.md:1: step/gone.py: no such file',
        "notes/page.md:6: step/hello.py#Greeter.wave: no method 'wave' in class 'Greeter'"]


def test_a_line_range_beyond_the_end_is_reported(repo):
    write_note(repo, '<!-- excerpt: step/user.html#L2-L5 -->\n' + stale('x\n', 'html+jinja'))
    result = excerpts(repo, '--check')
    assert result.returncode == 1
    assert 'notes/page.md:1: step/user.html#L2-L5: lines 2-5 beyond the end (3 lines)' \
        in result.stdout.splitlines()


def test_check_changes_nothing(repo):
    text = '<!-- excerpt: step/hello.py#user -->\n' + stale('old\n')
    note = write_note(repo, text)
    assert excerpts(repo, '--check').returncode == 1
    assert note.read_text() == text


def test_refresh_fixes_a_stale_excerpt_and_leaves_the_rest_byte_identical(repo):
    before = ('# A page  \n\nSome text with trailing spaces   \n\ttabbed, and ünïcödé\n\n'
              '<!-- excerpt: step/hello.py#Greeter.greet -->\n'
              '```python\n')
    after = ('```\n\nMore text.\n\n'
             '````markdown\n<!-- excerpt: step/hello.py#nothing -->\n```python\nkept\n```\n'
             '````\n\n'
             '<!-- excerpt: step/user.html#L2 -->\n```html+jinja\n  {{ name }}\n```\n'
             'no newline at the end')
    note = write_note(repo, before + 'def greet(name):\n    return "stale"\n' + after)
    result = excerpts(repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        'notes/page.md:6: step/hello.py#Greeter.greet: refreshed',
        '2 excerpts checked in 1 note, 1 refreshed']
    fresh = ("@staticmethod\ndef greet(name):\n    return 'Hello, ' + name\n")
    assert note.read_bytes() == (before + fresh + after).encode('utf-8')
    assert excerpts(repo, '--check').returncode == 0


def test_refresh_writes_the_language_and_whole_files(repo):
    note = write_note(repo, '<!-- excerpt: step/user.html -->\n~~~\n~~~\n')
    assert excerpts(repo).returncode == 0
    assert note.read_text() == '<!-- excerpt: step/user.html -->\n```html+jinja\n{}```\n'.format(
        TEMPLATE)


def test_refresh_keeps_a_notes_crlf_line_endings(repo):
    note = write_note(repo, 'Title\r\n<!-- excerpt: step/user.html#L3 -->\r\n```text\r\n```\r\n')
    assert excerpts(repo).returncode == 0
    assert note.read_bytes() == (b'Title\r\n<!-- excerpt: step/user.html#L3 -->\r\n'
                                 b'```html+jinja\r\n</h1>\r\n```\r\n')


def test_a_marker_without_a_code_block_names_its_line(repo):
    text = 'Intro\n<!-- excerpt: step/hello.py#user -->\n\nNo code block here.\n'
    note = write_note(repo, text)
    result = excerpts(repo)
    assert result.returncode == 1
    assert 'notes/page.md:2: step/hello.py#user: no fenced code block right after the marker' \
        in result.stdout.splitlines()
    assert note.read_text() == text


def test_a_note_with_an_unclosed_block_is_not_rewritten(repo):
    text = ('<!-- excerpt: step/hello.py#user -->\n```python\nstale\n```\n'
            '<!-- excerpt: step/hello.py#index -->\n```python\nnever closed\n')
    note = write_note(repo, text)
    result = excerpts(repo)
    assert result.returncode == 1
    assert 'notes/page.md:5: step/hello.py#index: its code block is never closed' \
        in result.stdout
    assert note.read_text() == text


def test_help_and_usage_errors():
    result = run_excerpts('--help')
    assert result.returncode == 0
    assert '--check' in result.stdout and '#L10-L20' in result.stdout
    for args, message in [(('--root', '/no/such/folder'), 'no such folder: /no/such/folder'),
                          (('no-such-note.md',), 'no such note: no-such-note.md')]:
        result = run_excerpts(*args)
        assert result.returncode == 2
        assert result.stderr == 'excerpts: {}\n'.format(message)


# --- (c) links -----------------------------------------------------------------------------

LINK = re.compile(r'!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')
REFERENCE = re.compile(r'^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$')
BARE_URL = re.compile(r'(?<![\w(<])https?://[^\s<>()\[\]`]+')
CODE_SPAN = re.compile(r'(`+)(?:(?!\1).)+?\1')
HOST = re.compile(r'^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$', re.I)


def slug(heading):
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces to '-'."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # a link keeps its text
    text = re.sub(r'<[^>]+>', '', text).replace('`', '').replace('*', '')
    return re.sub(r'[^\w\- ]', '', text.lower()).replace(' ', '-')


def anchors(path):
    seen, result = {}, set()
    for _, _, text in headings(path.read_text(encoding='utf-8').splitlines()):
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else '{}-{}'.format(base, count))
    return result


def well_formed(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == 'mailto':
        return re.fullmatch(r'[^@\s]+@[^@\s]+\.[a-z]{2,}', parts.path, re.I) is not None
    if parts.scheme not in ('http', 'https') or not parts.hostname or re.search(r'\s', url):
        return False
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        return False
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return HOST.match(host) is not None and ('.' in host or host == 'localhost')


def links(path):
    """(line number, target) of every link in a Markdown file, code left out."""
    for number, line in prose(path.read_text(encoding='utf-8').splitlines()):
        text = CODE_SPAN.sub('', line)
        reference = REFERENCE.match(text)
        if reference:
            yield number, reference[1]
            continue
        for match in LINK.finditer(text):
            yield number, match[1]
        for match in BARE_URL.finditer(LINK.sub('', text)):
            yield number, match.group().rstrip('.,;:!?*_~\'"')


def link_problem(path, target):
    """Why a link from `path` does not lead anywhere, or None."""
    if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
        return None if well_formed(target) else 'not a well-formed web address'
    if not target:
        return 'empty link'
    address, _, anchor = target.partition('#')
    address = urllib.parse.unquote(address)
    if address.startswith('/'):
        return 'absolute path: links must be relative to the page'
    destination = (path.parent / address).resolve() if address else path
    if destination != ROOT and ROOT not in destination.parents:
        return 'leads out of the repository'
    if not destination.exists():
        return 'no such file or folder'
    if not anchor:
        return None
    if destination.suffix == '.md':
        if anchor not in anchors(destination):
            return 'no heading with the anchor #{} in {}'.format(
                anchor, destination.relative_to(ROOT))
        return None
    lines = re.fullmatch(r'L(\d+)(?:-L(\d+))?', anchor)
    if destination.is_file() and lines:
        last = int(lines[2] or lines[1])
        count = len(destination.read_text(encoding='utf-8').splitlines())
        return None if last <= count else 'line {} beyond the end ({} lines)'.format(
            last, count)
    return 'an anchor (#{}) on something that has no headings'.format(anchor)


def linked_files():
    return [ROOT / 'README.md'] + note_files()


@pytest.mark.parametrize('path', linked_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_somewhere(path):
    found = list(links(path))
    problems = ['{}:{}: {}: {}'.format(path.relative_to(ROOT), number, target, problem)
                for number, target in found
                for problem in [link_problem(path, target)] if problem]
    assert problems == []


def test_the_link_checker_catches_broken_links(tmp_path):
    """The checks above can fail: a page in notes/ with one link of each kind of mistake."""
    page = NOTES / 'chapter02.md'
    cases = {
        '../chapters/2b/': None,
        '../chapters/2b/hello.py#L1-L3': None,
        'chapter01.md#step-1a-initial-version': None,
        '#since-the-book': None,
        'https://github.com/pallets/flask': None,
        'http://127.0.0.1:5000/user/%3Cb%3Edave': None,
        '../chapters/2z/': 'no such file or folder',
        'chapter01.md#no-such-heading': 'no heading with the anchor #no-such-heading in '
                                        'notes/chapter01.md',
        '../chapters/2b/hello.py#L900': 'line 900 beyond the end',
        '../../outside.md': 'leads out of the repository',
        'http//example.com': 'no such file or folder',
        'https://exa mple.com': 'not a well-formed web address',
        'https://': 'not a well-formed web address',
        'ftp://example.com/file': 'not a well-formed web address',
    }
    for target, expected in cases.items():
        problem = link_problem(page, target)
        if expected is None:
            assert problem is None, (target, problem)
        else:
            assert problem and problem.startswith(expected), (target, problem)


def test_links_are_found_outside_code_only(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text('See [a](one.md) and `[b](two.md)` and <https://x.org> and\n'
                    'http://127.0.0.1:5000/user/dave.\n'
                    '```\n[c](three.md)\n```\n[d]: four.md "title"\n')
    assert list(links(page)) == [(1, 'one.md'), (2, 'http://127.0.0.1:5000/user/dave'),
                                 (6, 'four.md')]


def test_slugs_follow_githubs_rules():
    assert slug('Step 2c: Command-line options with Flask-Script') == \
        'step-2c-command-line-options-with-flask-script'
    assert slug("A command line: Flask's own `flask` command") == \
        'a-command-line-flasks-own-flask-command'
    assert slug('Since the book') == 'since-the-book'
    assert slug('[Links](x.md) and *emphasis*') == 'links-and-emphasis'


# --- (d) a page per chapter, with its sections ----------------------------------------------

def test_book_steps_agree_with_the_steps_list():
    for step in steplib.steps():
        if step.chapter in BOOK_STEPS:
            assert step.name in BOOK_STEPS[step.chapter], step


def sections(lines):
    """{heading text: the lines under it, up to the next heading of its level or above}."""
    found = list(headings(lines))
    result = {}
    for i, (number, level, text) in enumerate(found):
        end = next((n for n, lvl, _ in found[i + 1:] if lvl <= level), len(lines) + 1)
        result[text] = lines[number:end - 1]
    return result


def page_problems(chapter, text):
    """What a chapter's page lacks, for the steps of that chapter that exist."""
    lines = text.splitlines()
    found = sections(lines)
    all_steps = steplib.steps()
    problems = []
    for index, step in enumerate(all_steps):
        if step.chapter != chapter:
            continue
        titles = [t for t in found if re.search(r'\bStep {}\b'.format(step.name), t)]
        if not titles:
            problems.append('no heading for step {} (such as "## Step {}: {}")'.format(
                step.name, step.name, step.title))
            continue
        if index == 0:
            continue
        command = 'scripts/diff {} {}'.format(all_steps[index - 1].name, step.name)
        if not any(command in line for line in found[titles[0]]):
            problems.append('the section of step {} does not give `{}`'.format(
                step.name, command))
    since = [t for t in found if 'since the book' in t.lower()]
    if not since:
        problems.append('no "Since the book" section')
    else:
        body = found[since[0]]
        header = next((i for i, line in enumerate(body) if SINCE_HEADER.match(line)), None)
        if header is None:
            problems.append('the "Since the book" section has no "| The book | Today | Why |" '
                            'table')
        else:
            rows = body[header + 2:]
            filled = [row for row in rows if row.startswith('|') and len(
                [cell for cell in row.strip().strip('|').split('|') if cell.strip()]) >= 3]
            if header + 1 >= len(body) or not TABLE_RULE.match(body[header + 1]) or not filled:
                problems.append('the "Since the book" table has no rows')
    return problems


def test_the_notes_index_lists_each_chapters_page_with_its_steps():
    rows = re.findall(r'^\| \[(\d+) ([^]]+)\]\((chapter\d+\.md)\) \| ([^|]+?) \|$',
                      (NOTES / 'README.md').read_text(), flags=re.M)
    titles = steplib.chapter_titles()
    pages = ['chapter{:02d}.md'.format(chapter) for chapter in sorted(titles)]
    expected = [(str(chapter), titles[chapter], page,
                 ', '.join(s.name for s in steplib.steps() if s.chapter == chapter))
                for chapter, page in zip(sorted(titles), pages) if (NOTES / page).exists()]
    assert rows == expected


@pytest.mark.parametrize('chapter', sorted(BOOK_STEPS), ids='chapter{:02d}'.format)
def test_each_chapter_has_its_page(chapter):
    present = [s.name for s in steplib.steps() if s.chapter == chapter]
    page = NOTES / 'chapter{:02d}.md'.format(chapter)
    if not page.exists():
        missing = [name for name in BOOK_STEPS[chapter] if name not in present]
        if not present:
            pytest.skip('chapter {} has no step yet'.format(chapter))
        if missing:
            pytest.skip('{} is not written yet, and chapter {} still lacks step{} {}'.format(
                page.relative_to(ROOT), chapter, 's' if len(missing) > 1 else '',
                ', '.join(missing)))
        pytest.fail('every step of chapter {} exists ({}), but {} does not'.format(
            chapter, ', '.join(present), page.relative_to(ROOT)))
    assert page_problems(chapter, page.read_text(encoding='utf-8')) == []


def test_the_page_check_can_fail():
    good = (NOTES / 'chapter02.md').read_text(encoding='utf-8')
    assert page_problems(2, good) == []
    assert page_problems(2, good.replace('## Step 2b', '## Stage 2b')) == [
        'no heading for step 2b (such as "## Step 2b: Dynamic routes")']
    assert page_problems(2, good.replace('scripts/diff 2b 2c', 'scripts/diff 2c')) == [
        'the section of step 2c does not give `scripts/diff 2b 2c`']
    assert page_problems(2, good.replace('| The book | Today | Why |', '| Then | Now |')) == [
        'the "Since the book" section has no "| The book | Today | Why |" table']
    assert page_problems(2, good.replace('## Since the book', '## Changes')) == [
        'no "Since the book" section']


# --- (e) the shell sessions shown in the notes ----------------------------------------------

def sessions(marker=SESSION, fence='```pycon'):
    """(note, line, step folder, session text) of every block opened by `fence` right after
    a `marker` comment (a pycon block after `<!-- session: ... -->`)."""
    found = []
    for path in note_files():
        lines = path.read_text(encoding='utf-8').splitlines(keepends=True)
        for number, line in prose([line.rstrip('\n') for line in lines]):
            match = marker.match(line)
            if not match:
                continue
            opening = lines[number].rstrip('\n') if number < len(lines) else ''
            end = next((i for i in range(number + 1, len(lines))
                        if lines[i].strip() == '```'), None)
            body = ''.join(lines[number + 1:end]) if opening == fence and end else None
            found.append(pytest.param(path, number, match[1], body,
                                      id='{}:{}'.format(path.name, number)))
    return found


def session_step(path, number, folder, body, fence):
    where = '{}:{}'.format(path.relative_to(ROOT), number)
    assert body is not None, '{}: no {} block right after the session marker'.format(
        where, fence)
    match = re.fullmatch(r'chapters/(\w+)/?', folder)
    assert match and match[1] in steplib.names(), '{}: no such step folder {}'.format(
        where, folder)
    return where, steplib.find(match[1])


def run_session(step, body, name, filename, lineno, monkeypatch):
    """Run a session with doctest in the step's folder, its modules freshly imported, and
    no bytecode written, as in a reader's shell: a session may rewrite a module within the
    second it imported it, and a cached compilation of the same size would hide the change."""
    test = doctest.DocTestParser().get_doctest(body, {}, name, filename, lineno)
    assert test.examples, '{}: the session has no >>> lines'.format(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = []
    monkeypatch.setattr(sys, 'dont_write_bytecode', True)
    with step_on_path(step):
        runner.run(test, out=report.append)
    return runner.failures, ''.join(report)


@pytest.fixture
def in_step(tmp_path, monkeypatch):
    """Move into a step's folder, with its database (if any) kept in tmp_path."""
    def enter(step):
        for name, value in step_env(tmp_path).items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(step.path)
        return step
    return enter


@pytest.mark.parametrize('path, number, folder, body', sessions())
def test_sessions_answer_as_shown(path, number, folder, body, in_step, monkeypatch):
    where, step = session_step(path, number, folder, body, '```pycon')
    step = in_step(step)
    failures, report = run_session(step, body, where, str(path), number + 1, monkeypatch)
    assert failures == 0, report


def test_a_session_that_no_longer_answers_so_fails(in_step, monkeypatch):
    step = in_step(steplib.find('2b'))
    failures, report = run_session(
        step, ">>> from hello import app\n>>> app.name\n'goodbye'\n"
        ">>> app.test_client().get('/').status_code\n200\n", 'made-up', 'made-up.md', 1,
        monkeypatch)
    assert failures == 1
    assert "Expected:\n    'goodbye'\nGot:\n    'hello'" in report


# --- (f) the command-line sessions with the API (curl), from chapter 14 ----------------------

SERVED = 'http://localhost:5000'  # where the notes say the step is, as `make run` serves it
END_OF_COMMAND = '@@ end of command @@'


def curl_commands(body):
    """[(command, expected output)] of a console block: a command starts with `$ ` and goes
    on after a backslash on lines that start with `> `, as bash shows them; its output is
    what follows, up to the next command."""
    commands, lines = [], body.splitlines()
    while lines:
        line = lines.pop(0)
        assert line.startswith('$ '), 'output without a command: {!r}'.format(line)
        command = [line[2:]]
        while command[-1].endswith('\\') and lines and lines[0].startswith('> '):
            command.append(lines.pop(0)[2:])
        output = []
        while lines and not lines[0].startswith('$ '):
            output.append(lines.pop(0))
        commands.append(('\n'.join(command), '\n'.join(output)))
    return commands


def run_curl_session(step, body, tmp_path, monkeypatch):
    """The block's commands, in one shell (so that a variable set by one serves the next),
    against the step served by its book command. The database has one confirmed account,
    john@example.com with the password cat (notes/README.md). Returns [(command, expected,
    got)] for the commands whose output differs."""
    env = process_env(tmp_path)
    for name, value in step_env(tmp_path).items():  # the same database, in tmp_path
        monkeypatch.setenv(name, value)
    with step_on_path(step):
        import manage  # its app, on the database of env (step_env)
        with manage.app.app_context():
            manage.db.create_all()
            manage.Role.insert_roles()
            manage.db.session.add(manage.User(email='john@example.com', username='john',
                                              password='cat', confirmed=True))
            manage.db.session.commit()
            manage.db.engine.dispose()
    server = Server(step, tmp_path, reload=False).start()
    try:
        commands = curl_commands(body)
        script = 'exec 2>&1\n' + ''.join(
            '{}\nprintf "\\n{}\\n"\n'.format(command.replace(SERVED, server.url),
                                               END_OF_COMMAND)
            for command, _ in commands)
        result = subprocess.run(['bash', '-c', script], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
    finally:
        server.stop()
    outputs = result.stdout.replace(server.url, SERVED).split(END_OF_COMMAND + '\n')
    checker = doctest.OutputChecker()
    differ = []
    for (command, expected), got in zip(commands, outputs):
        got = got.rstrip('\n')
        if not checker.check_output(expected.rstrip('\n') + '\n', got + '\n',
                                    doctest.ELLIPSIS):
            differ.append((command, expected, got))
    assert len(outputs) == len(commands) + 1, result.stdout + result.stderr
    return differ


@pytest.mark.parametrize('path, number, folder, body',
                         sessions(CURL_SESSION, '```console'))
def test_curl_sessions_answer_as_shown(path, number, folder, body, tmp_path, monkeypatch):
    where, step = session_step(path, number, folder, body, '```console')
    require(shutil.which('curl'), 'the API sessions of the notes need curl')
    differ = run_curl_session(step, body, tmp_path, monkeypatch)
    assert not differ, '{}:\n'.format(where) + '\n'.join(
        '$ {}\nexpected:\n{}\ngot:\n{}\n'.format(*item) for item in differ)


def test_a_curl_session_that_no_longer_answers_so_fails(tmp_path, monkeypatch):
    require(shutil.which('curl'), 'the API sessions of the notes need curl')
    body = ('$ curl -s http://localhost:5000/api/v1.0/posts/ | python3 -c \\\n'
            '>   "import json, sys; print(json.load(sys.stdin)[\'count\'])"\n0\n'
            '$ curl -s -o /dev/null -w "%{http_code}\\n" \\\n'
            '>   http://localhost:5000/api/v1.0/nothing\n200\n')
    differ = run_curl_session(steplib.find('14a'), body, tmp_path, monkeypatch)
    assert [(expected, got) for _, expected, got in differ] == [('200', '404')]


# --- (g) notes/security.md: the table of attacks and the battery that tries them -----------

SECURITY = ROOT / 'notes' / 'security.md'
BATTERY = ROOT / 'tests' / 'security'
SECURITY_LINK = re.compile(r'\[(test_\w+)\]\(\.\./tests/security/(test_security_\w+\.py)\)')


def battery_tests():
    """{(file name, test name): (first step, last step) or None} of tests/security, from
    each test's @pytest.mark.steps marker (None: a test that takes no step)."""
    import ast
    found = {}
    for path in sorted(BATTERY.glob('test_security_*.py')):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith('test_'):
                continue
            steps = None
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == \
                        'pytest.mark.steps':
                    args = [ast.literal_eval(a) if isinstance(a, ast.Constant) else None
                            for a in decorator.args]
                    first = args[0] if args and args[0] else steplib.newest().name
                    last = args[1] if len(args) > 1 and args[1] else steplib.newest().name
                    steps = (first, last)
            found[(path.name, node.name)] = steps
    return found


def security_rows(text):
    """(steps cell, [(file, test)]) of each row of the table of notes/security.md."""
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if len(cells) == 5 and SECURITY_LINK.search(cells[4]):
            rows.append((cells[1], [(file, test) for test, file in
                                    SECURITY_LINK.findall(cells[4])]))
    return rows


def security_table_problems(text, tests):
    problems = []
    rows = security_rows(text)
    linked = {pair for _, pairs in rows for pair in pairs}
    for steps, pairs in rows:
        for pair in pairs:
            if pair not in tests:
                problems.append('{} is not a test of the battery'.format(pair))
        marked = tests.get(pairs[0])
        if marked and steps != '{}–{}'.format(*marked):
            problems.append('{}: the table says {}, the test is marked for {}–{}'.format(
                pairs[0][1], steps, *marked))
    for pair in sorted(set(tests) - linked):
        problems.append('{} is not in the table'.format(pair))
    return problems


def test_the_security_table_and_the_battery_agree():
    text = SECURITY.read_text()
    tests = battery_tests()
    assert len(tests) >= 20 and len(security_rows(text)) >= 15
    assert security_table_problems(text, tests) == []


def test_the_security_table_check_can_fail():
    text, tests = SECURITY.read_text(), battery_tests()
    name = 'test_a_forged_reset_token_changes_no_password'
    assert security_table_problems(text.replace(name, name + '_gone'), tests) == [
        "('test_security_tokens.py', '{}_gone') is not a test of the battery".format(name),
        "('test_security_tokens.py', '{}') is not in the table".format(name)]
    assert security_table_problems(text.replace('| 8g–17d |', '| 8f–17d |'), tests) == [
        '{}: the table says 8f–17d, the test is marked for 8g–17d'.format(name)]
