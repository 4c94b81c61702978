"""Helpers for the tests of scripts/: run one, check its errors, work on a copy of the project.

Scripts that change files (forward) or need odd step folders are run from a copy made in
tmp_path, never on the real chapters/: steplib finds chapters/ beside the script it runs.
"""
import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys

from support import steplib

GIT_IDENTITY = ['-c', 'user.name=Tests', '-c', 'user.email=tests@flasky.invalid']


def load_script(name):
    """A script of scripts/ (no .py suffix) as a module, to test its functions."""
    loader = importlib.machinery.SourceFileLoader('script_' + name,
                                                  str(steplib.ROOT / 'scripts' / name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def run_script(name, *args, root=steplib.ROOT, cwd=None, env=None, timeout=60):
    """Run scripts/NAME of `root` (the repository, or a copy of it) with this Python."""
    return subprocess.run([sys.executable, str(root / 'scripts' / name), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


def assert_usage_error(result, *named):
    """Exit status 2, and one line on stderr that names what was wrong."""
    assert result.returncode == 2, result
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert 'Traceback' not in result.stderr
    for text in named:
        assert text in result.stderr


def copy_project(dest, commit=False, last=None):
    """scripts/ and chapters/ copied into dest, optionally as a git repository with a commit.
    With `last` (a step name), only the steps up to it: a project that ends there, for the
    tests of a script that only needs a few steps (58 steps are 100 MB to copy and commit)."""
    ignore = shutil.ignore_patterns(*steplib.IGNORED_NAMES,
                                    *('*' + s for s in steplib.IGNORED_SUFFIXES))
    shutil.copytree(steplib.ROOT / 'scripts', dest / 'scripts', ignore=ignore)
    kept = steplib.between(steplib.names()[0], last) if last else steplib.steps()
    for step in kept:
        shutil.copytree(step.path, dest / 'chapters' / step.name, ignore=ignore)
    blocks = steplib.STEPS_FILE.read_text().split('[[step]]\n')
    names = [step.name for step in kept]
    (dest / 'chapters' / 'steps.toml').write_text('[[step]]\n'.join(
        [blocks[0]] + [b for b in blocks[1:] if b.split('"')[1] in names]))
    if commit:
        commit_all(dest)
    return dest


def commit_all(repo):
    """Make repo a git repository (if it is not one yet) whose HEAD holds all of it."""
    git(repo, 'init', '--quiet')
    git(repo, 'add', '.')
    git(repo, 'commit', '--quiet', '-m', 'copy')


def git(repo, *args):
    return subprocess.run(['git', *GIT_IDENTITY, *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def snapshot(folder):
    """Every file below folder and its bytes: to show that nothing changed."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob('*'))
            if p.is_file()}
