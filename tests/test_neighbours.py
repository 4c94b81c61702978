"""Each step is the previous one plus exactly its change: the files that differ between
neighbours are the ones steps.toml lists for the step."""
import pytest

from support import steplib

PAIRS = list(zip(steplib.steps(), steplib.steps()[1:]))


def changed_files(old, new):
    old_files, new_files = set(steplib.files(old.path)), set(steplib.files(new.path))
    changed = {f for f in old_files & new_files
               if (old.path / f).read_bytes() != (new.path / f).read_bytes()}
    return {str(f) for f in changed | (old_files ^ new_files)}


@pytest.mark.parametrize('old, new', PAIRS, ids=['{}-{}'.format(a.name, b.name) for a, b in PAIRS])
def test_step_changes_only_what_it_teaches(old, new):
    assert changed_files(old, new) == set(new.changes)
