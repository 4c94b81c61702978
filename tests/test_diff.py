"""scripts/diff: unified diffs between steps or folders."""
import subprocess
import sys

import pytest

from support import steplib

DIFF = str(steplib.ROOT / 'scripts' / 'diff')


def run_diff(*args):
    return subprocess.run([sys.executable, DIFF, *args], capture_output=True, text=True,
                          timeout=30)


def changed_lines(output, sign):
    return [line[1:] for line in output.splitlines()
            if line.startswith(sign) and not line.startswith(sign * 3)]


def test_2a_to_2b_adds_only_the_user_route():
    result = run_diff('2a', '2b')
    assert result.returncode == 0
    assert result.stdout.startswith('diff --git a/hello.py b/hello.py\n--- a/hello.py\n'
                                    '+++ b/hello.py\n@@ ')
    assert changed_lines(result.stdout, '-') == []
    added = [line for line in changed_lines(result.stdout, '+') if line.strip()]
    assert added == [
        'from markupsafe import escape',
        "@app.route('/user/<name>')",
        'def user(name):',
        '    # the name comes from the URL: escape it, or a link could inject a script',
        "    return '<h1>Hello, {}!</h1>'.format(escape(name))"]


def test_either_order_swaps_the_sides():
    forward, backward = run_diff('2a', '2b').stdout, run_diff('2b', '2a').stdout
    assert changed_lines(forward, '+') == changed_lines(backward, '-')
    assert changed_lines(forward, '-') == changed_lines(backward, '+')


def test_same_step_shows_nothing():
    result = run_diff('2b', '2b')
    assert (result.returncode, result.stdout) == (0, '')


def test_stat_counts_the_lines():
    result = run_diff('2a', '2b', '--stat')
    added = len(changed_lines(run_diff('2a', '2b').stdout, '+'))
    assert result.stdout.splitlines() == [
        ' hello.py | {} {}'.format(added, '+' * added),
        ' 1 file changed, {} insertions(+)'.format(added)]


def test_color_always_and_never():
    assert '\033[32m+' in run_diff('2a', '2b', '--color', 'always').stdout
    assert '\033[' not in run_diff('2a', '2b', '--color', 'never').stdout
    assert '\033[' not in run_diff('2a', '2b').stdout  # auto, and not a terminal


def test_folder_argument_compares_a_learners_copy(tmp_path):
    copy = tmp_path / 'my-hello'
    steplib.copy_files(steplib.CHAPTERS / '2b', copy)  # the step's files, not a learner's caches
    (copy / 'hello.py').write_text((copy / 'hello.py').read_text().replace('Hello,', 'Hi,'))
    (copy / 'data.sqlite').write_bytes(b'not part of the step')
    (copy / '__pycache__').mkdir()
    (copy / '__pycache__' / 'hello.cpython-311.pyc').write_bytes(b'\0cache')
    result = run_diff('2b', str(copy))
    assert result.returncode == 0
    assert changed_lines(result.stdout, '+') == [
        "    return '<h1>Hi, {}!</h1>'.format(escape(name))"]
    assert 'sqlite' not in result.stdout and 'pycache' not in result.stdout


def test_renames_are_detected(tmp_path):
    old, new = tmp_path / 'old', tmp_path / 'new'
    steplib.copy_files(steplib.CHAPTERS / '2c', old)
    new.mkdir()
    text = (old / 'hello.py').read_text()
    (new / 'manage.py').write_text(text.replace('manager.run()', 'manager.run()  # moved'))
    result = run_diff(str(old), str(new))
    assert 'rename from hello.py\nrename to manage.py\n' in result.stdout
    assert changed_lines(result.stdout, '+') == ['    manager.run()  # moved']


def test_new_and_deleted_files(tmp_path):
    old, new = tmp_path / 'old', tmp_path / 'new'
    old.mkdir(), new.mkdir()
    (old / 'gone.txt').write_text('bye\n')
    (new / 'fresh.txt').write_text('completely different\n')
    out = run_diff(str(old), str(new)).stdout
    assert 'new file mode 100644\n--- /dev/null\n+++ b/fresh.txt' in out
    assert 'deleted file mode 100644\n--- a/gone.txt\n+++ /dev/null' in out


def test_html_page_is_self_contained(tmp_path):
    page = tmp_path / 'diff.html'
    result = run_diff('2a', '2b', '--html', str(page))
    assert result.returncode == 0
    html = page.read_text()
    assert html.startswith('<!DOCTYPE html>') and 'From 2a to 2b' in html
    assert '/user/&lt;name&gt;' in html
    assert 'http://' not in html and 'https://' not in html and '<script' not in html


@pytest.mark.parametrize('args, named', [(('2a', '9z'), "'9z'"), (('9z', '2a'), "'9z'"),
                                         (('2a', 'nope/dir'), 'nope/dir')])
def test_bad_argument_is_one_line_and_exit_2(args, named):
    result = run_diff(*args)
    assert result.returncode == 2
    assert result.stdout == ''
    assert len(result.stderr.splitlines()) == 1 and named in result.stderr
    assert 'Traceback' not in result.stderr


def test_unknown_step_suggests_close_names():
    assert '2c' in run_diff('2a', '2d').stderr


def test_help():
    result = run_diff('--help')
    assert result.returncode == 0 and 'usage: scripts/diff' in result.stdout


def test_the_html_page_fits_a_projector_with_both_sides_and_their_names(tmp_path, browser):
    """1280 x 720, as a projector shows it: nothing runs off to the right, long lines wrap,
    both steps' names head their columns, the changed files are listed at the top with links
    to their sections, and unchanged lines are folded away."""
    from selenium.webdriver.common.by import By
    old, new = tmp_path / '11h', tmp_path / '12a'
    steplib.copy_files(steplib.find('11h').path, old)
    steplib.copy_files(steplib.find('12a').path, new)
    # a line far longer than half the screen, in a file with a long name
    (new / 'app' / 'a_module_with_a_rather_long_name_to_show_in_the_list.py').write_text(
        'TEXT = "{}"\n'.format('words that go on ' * 30))
    page = tmp_path / 'diff.html'
    assert run_diff(str(old), str(new), '--html', str(page)).returncode == 0
    browser.set_window_size(1280, 720)
    try:
        browser.open(page.as_uri())
        width = browser.execute_script('return window.innerWidth')
        assert width <= 1280
        assert browser.execute_script('return document.documentElement.scrollWidth') <= width
        for table in browser.find_elements(By.CSS_SELECTOR, 'table.diff'):
            if table.is_displayed():
                assert table.rect['x'] >= 0 and table.rect['x'] + table.rect['width'] <= width
        names = [th for th in browser.find_elements(By.CSS_SELECTOR, 'thead th')]
        assert [th.text for th in names[:2]] == [str(old), str(new)]
        for th in names[:2]:
            assert th.rect['x'] >= 0 and th.rect['x'] + th.rect['width'] <= width
        # the long line wraps inside its column: its cell is several lines high
        cell = browser.find_element(By.XPATH, '//td[contains(., "words that go on")]')
        assert cell.rect['x'] + cell.rect['width'] <= width and cell.rect['height'] > 60
        # the list of files, each linking to its section
        links = browser.find_elements(By.CSS_SELECTOR, 'nav a')
        assert len(links) == len(browser.find_elements(By.CSS_SELECTOR, 'section'))
        assert any('a_module_with_a_rather_long_name' in a.text for a in links)
        for link in links:
            target = link.get_attribute('href').split('#')[1]
            assert browser.find_elements(By.ID, target)
        # folded context, opened by a click; type large enough to read from the back
        folded = browser.find_elements(By.CSS_SELECTOR, 'details')
        assert folded and not any(d.get_attribute('open') for d in folded)
        assert 'unchanged line' in folded[0].text
        size = browser.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('td.code')).fontSize)")
        assert size >= 15
    finally:
        browser.set_window_size(1280, 900)
