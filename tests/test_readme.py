"""The README's table of steps lists every step present, with its chapter and title."""
import re

from support import steplib


def test_readme_table_lists_every_step():
    readme = (steplib.ROOT / 'README.md').read_text()
    rows = re.findall(r'^\| (\d+[a-z]) \| (\d+) ([^|]+?) \| ([^|]+?) \|$', readme, flags=re.M)
    titles = steplib.chapter_titles()
    assert [(s.name, str(s.chapter), titles[s.chapter], s.title)
            for s in steplib.steps()] == rows
