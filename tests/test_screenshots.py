"""scripts/screenshots and the pictures it made: notes/images, and the pages that show them.

No browser here: the pictures are checked as files (each shown, each valid, of its width),
the script for its help, its errors and the pictures it promises. Taking them again is
`scripts/screenshots`, by hand, when a step's pages change.
"""
import re

import pytest

from script_support import assert_usage_error, load_script, run_script
from support import steplib

ROOT = steplib.ROOT
NOTES = ROOT / 'notes'
IMAGES = NOTES / 'images'
IMAGE = re.compile(r'!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?\s*\)')
FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
SIZES = {'desktop': (1280, 800), 'phone': (390, 844)}


@pytest.fixture(scope='module')
def screenshots():
    """scripts/screenshots as a module (it imports no browser until it starts one)."""
    return load_script('screenshots')


def last_steps():
    last = {}
    for step in steplib.steps():
        last[step.chapter] = step
    return last


def pages():
    """The Markdown pages that may show a picture: the README and every note."""
    return [ROOT / 'README.md'] + sorted(NOTES.glob('*.md'))


def images(page):
    """(alt text, file) of every picture a page shows, code blocks left out."""
    found, fence = [], None
    for line in page.read_text(encoding='utf-8').splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = match[1]
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            found += [(alt, (page.parent / target).resolve())
                      for alt, target in IMAGE.findall(line)]
    return found


def shown():
    """{picture in notes/images: the pages that show it}."""
    result = {}
    for page in pages():
        for _, path in images(page):
            if IMAGES in path.parents:
                result.setdefault(path, []).append(page.relative_to(ROOT))
    return result


def png_size(path):
    data = path.read_bytes()[:24]
    assert data[:8] == PNG_SIGNATURE, '{} is not a PNG'.format(path.name)
    assert data[12:16] == b'IHDR', '{} has no IHDR first'.format(path.name)
    return int.from_bytes(data[16:20], 'big'), int.from_bytes(data[20:24], 'big')


# --- (a) every picture shown exists, and every picture is shown ----------------------------

def test_every_picture_a_page_shows_exists():
    missing = ['{}: {}'.format(', '.join(map(str, where)), path.relative_to(ROOT))
               for path, where in shown().items() if not path.is_file()]
    assert missing == []


def test_every_picture_is_shown_by_a_page():
    assert sorted(IMAGES.glob('*.png')), 'notes/images holds no picture'
    orphans = sorted(path.name for path in IMAGES.iterdir() if path not in shown())
    assert orphans == []


def test_the_readme_shows_the_newest_steps_home_page():
    newest = steplib.newest()
    picture = IMAGES / 'chapter{:02d}-home-desktop.png'.format(newest.chapter)
    alts = [alt for alt, path in images(ROOT / 'README.md') if path == picture]
    assert alts and 'step {}'.format(newest.name) in alts[0]


# --- (b) each chapter's page shows its last step at each width ------------------------------

@pytest.mark.parametrize('chapter', sorted(last_steps()), ids='chapter{:02d}'.format)
def test_each_chapter_shows_its_last_step_at_each_width(chapter):
    step = last_steps()[chapter]
    page = NOTES / 'chapter{:02d}.md'.format(chapter)
    if not page.exists():
        pytest.skip('{} is not written yet'.format(page.relative_to(ROOT)))
    for width in SIZES:
        name = re.compile(r'chapter{:02d}-[a-z0-9-]+-{}\.png$'.format(chapter, width))
        ours = [alt for alt, path in images(page)
                if path.parent == IMAGES and name.match(path.name)
                and re.search(r'\bstep {}\b'.format(step.name), alt)]
        assert ours, '{} shows no {} picture of step {}'.format(
            page.relative_to(ROOT), width, step.name)


def test_the_pictures_are_those_the_script_takes(screenshots):
    """The files of notes/images are the script's pages, at both widths: a page added to the
    script or dropped from it is taken, or removed, with its picture."""
    expected = {screenshots.picture_name(chapter, page.name, width)
                for chapter, chapter_pages in screenshots.PAGES.items()
                for page in chapter_pages for width in SIZES}
    assert {path.name for path in IMAGES.glob('*.png')} == expected
    assert sorted(screenshots.PAGES) == sorted(last_steps())


# --- (c) the script's help and errors -------------------------------------------------------

def test_help_shows_the_examples():
    result = run_script('screenshots', '--help')
    assert result.returncode == 0
    assert 'scripts/screenshots 3 11' in result.stdout
    assert '--out' in result.stdout and 'Exit status' in result.stdout


def test_an_unknown_chapter_is_refused_in_one_line():
    assert_usage_error(run_script('screenshots', '99'), "unknown chapter '99'", '1-17')
    assert_usage_error(run_script('screenshots', '3', 'three'), "unknown chapter 'three'")


def test_pictures_never_go_into_chapters():
    assert_usage_error(run_script('screenshots', '3', '--out', steplib.CHAPTERS / '3e'),
                       'inside chapters/')


def test_chapters_are_read_as_numbers(screenshots):
    assert screenshots.chapter_numbers(['03', '11', '3']) == [3, 11]
    assert screenshots.chapter_numbers([]) == sorted(last_steps())


def test_a_missing_browser_says_what_to_install(screenshots, monkeypatch):
    monkeypatch.setattr(screenshots, 'CHROMIUM', ('/no/such/chromium',))
    with pytest.raises(steplib.UsageError) as error:
        screenshots.find_browser()
    assert 'apt-get install chromium chromium-driver' in str(error.value)
    assert '\n' not in str(error.value)


# --- (d) the pictures are PNGs of their width -----------------------------------------------

@pytest.mark.parametrize('width', sorted(SIZES))
def test_the_pictures_are_pngs_of_their_width(width):
    found = sorted(IMAGES.glob('*-{}.png'.format(width)))
    assert found
    wrong = {path.name: png_size(path) for path in found if png_size(path) != SIZES[width]}
    assert wrong == {}


def test_the_pictures_stay_small():
    total = sum(path.stat().st_size for path in IMAGES.glob('*.png'))
    assert total < 6 * 1024 * 1024, '{:.1f} MB of pictures'.format(total / 1024 / 1024)
