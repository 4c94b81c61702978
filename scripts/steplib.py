"""The list of steps (chapters/steps.toml) and what every script needs to know about a step.

Standard library only: the scripts that import this must run before the venv exists.
Importable by older Pythons too (tomllib is imported where it is used), so that
scripts/doctor can say which Python is too old instead of failing on the import.
"""
import difflib
import functools
import os
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / 'chapters'
STEPS_FILE = CHAPTERS / 'steps.toml'

# What a step folder may hold that is not part of the step: the learner's databases,
# Python's caches, a virtualenv made inside it, git's own folder (a checkout of
# scripts/history), the messages scripts/mailserver keeps (.eml: not a folder name, since
# templates/mail/ belongs to the steps), and .env, where 17d's settings and secrets are kept.
# Diffs and copies leave these out.
IGNORED_NAMES = {'__pycache__', '.pytest_cache', '.venv', 'venv', '.ipynb_checkpoints',
                 'htmlcov', '.coverage', '.DS_Store', '.git', '.env'}
IGNORED_SUFFIXES = ('.pyc', '.pyo', '.sqlite', '.sqlite-journal', '.db', '.eml')


# Role.insert_roles() updates the roles it finds: safe to run at every start
INSERT_ROLES = ('from manage import app\n'
                'from app.models import Role\n'
                'with app.app_context():\n'
                '    Role.insert_roles()\n')
CREATE_ALL = ('from {module} import app, db\n'
              'with app.app_context():\n'
              '    db.create_all()\n')


class UsageError(Exception):
    """Bad input from the person at the keyboard: shown as one line, exit status 2."""


class Step:
    """One entry of steps.toml."""

    def __init__(self, name, chapter, title, serve, database='', mail=False, changes=()):
        self.name, self.chapter, self.title, self.serve = name, chapter, title, serve
        self.database, self.mail, self.changes = database, mail, tuple(changes)
        self.folder = None  # set by at(): the step's code in another folder

    def at(self, folder):
        """The same step, its code in `folder` (a learner's copy) instead of chapters/."""
        other = Step(self.name, self.chapter, self.title, self.serve, self.database,
                     self.mail, self.changes)
        other.folder = Path(folder)
        return other

    def __repr__(self):
        return 'Step({!r})'.format(self.name)

    def __eq__(self, other):
        return isinstance(other, Step) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    @property
    def path(self):
        return self.folder or CHAPTERS / self.name

    def existing_path(self):
        """The step's folder, or a UsageError when steps.toml lists a folder that is not there."""
        if not self.path.is_dir():
            raise UsageError('chapters/{} is missing (listed in steps.toml)'.format(self.name))
        return self.path

    @property
    def chapter_title(self):
        return chapter_titles()[self.chapter]

    def serve_argv(self, python=sys.executable):
        """The book's serve command as an argument list, run by the given Python."""
        argv = shlex.split(self.serve)
        if argv[0] == 'python':
            argv[0] = python
        return argv

    @property
    def script(self):
        """The step's command-line script: hello.py, later manage.py."""
        return shlex.split(self.serve)[1]


_cache = {}


def _load():
    """steps.toml, parsed once (again only when the file changes): scripts ask often."""
    import tomllib
    stamp = STEPS_FILE.stat().st_mtime_ns
    if _cache.get('stamp') != stamp:
        with open(STEPS_FILE, 'rb') as f:
            _cache.update(stamp=stamp, data=tomllib.load(f))
    return _cache['data']


def chapter_titles():
    return {int(k): v for k, v in _load()['chapters'].items()}


def steps():
    """All steps, in order."""
    return [Step(**entry) for entry in _load()['step']]


def names():
    return [s.name for s in steps()]


def newest():
    return steps()[-1]


def find(name):
    """The step called `name`, or a UsageError that names the closest valid steps."""
    for step in steps():
        if step.name == name:
            return step
    valid = names()
    close = difflib.get_close_matches(name, valid, n=3, cutoff=0.3)
    hint = 'closest: {}; '.format(', '.join(close)) if close else ''
    raise UsageError('unknown step {!r} ({}valid steps: {})'.format(name, hint, ' '.join(valid)))


def preparation(step):
    """How the book prepares the step's database (steps.toml's `database`): a list of (what
    it does, the arguments to give python in the step's folder), in order. Each keeps the
    data there is."""
    script = step.script
    if step.database == 'create_all':
        return [('db.create_all()', ['-c', CREATE_ALL.format(module=Path(script).stem)])]
    commands = []
    if step.database in ('upgrade', 'upgrade+roles'):
        commands.append(('python {} db upgrade'.format(script), [script, 'db', 'upgrade']))
    if step.database == 'upgrade+roles':
        commands.append(('Role.insert_roles()', ['-c', INSERT_ROLES]))
    if step.database == 'deploy':
        commands.append(('python {} deploy'.format(script), [script, 'deploy']))
    return commands


def between(first, last=None):
    """The steps from `first` to `last` (both included; `last` defaults to the newest)."""
    all_steps = steps()
    order = [s.name for s in all_steps]
    start = order.index(first) if first in order else _position(first, order)
    if last is None:
        end = len(order)
    else:
        end = order.index(last) + 1 if last in order else _position(last, order)
    return all_steps[start:end]


def checkpoints(first, last=None, chapter_ends=True, starts=True, touching=()):
    """The steps of between(first, last) where a behaviour is worth checking the whole way,
    with real processes: the first (where the behaviour begins), with `starts` each step
    that changes how the step is started or served (its serve command, database preparation
    or mail; starts=('serve', 'database'): only those), with `chapter_ends` the last step of
    each chapter and of the range, and each step whose `changes` touch a path that starts
    with one of `touching` (e.g. 'manage.py', 'app/'; 'manage.py#MigrateCommand': only
    where that function or class changes)."""
    aspects = ('serve', 'database', 'mail') if starts is True else tuple(starts or ())
    chosen = between(first, last)
    everything = steps()
    before = {s.name: p for p, s in zip(everything, everything[1:])}
    last_of_chapter = {s.chapter: s for s in chosen}
    picked = []
    for i, step in enumerate(chosen):
        previous = before.get(step.name)
        if (i == 0
                or (previous and any(getattr(previous, aspect) != getattr(step, aspect)
                                     for aspect in aspects))
                or (chapter_ends and (last_of_chapter[step.chapter] is step
                                      or step is chosen[-1]))
                or any(touches(step, previous, path) for path in touching)):
            picked.append(step)
    return picked


def touches(step, previous, path):
    """Whether `step` changes `path` against the step before it: a file or a folder
    ('manage.py', 'app/'), one top-level function, class or variable of a Python file
    ('manage.py#MigrateCommand'), or one member of such a class ('app/models.py#User.confirm')."""
    file, _, name = path.partition('#')
    changed = any(c.startswith(file) for c in step.changes)
    if not (changed and name and previous):
        return changed
    return definition(previous.path / file, name) != definition(step.path / file, name)


def definition(path, name):
    """The source of the top-level function, class or variable `name` of a Python file, or
    of the member `Class.name` of one of its classes (a method, with its decorators, or an
    attribute); None if there is none. A property's getter and setter count as one."""
    path = Path(path)
    if not path.is_file():
        return None
    stat = path.stat()
    # the suite asks this thousands of times while it chooses the steps of each test:
    # each file is parsed once
    return _definitions(str(path), stat.st_mtime_ns, stat.st_size).get(name)


@functools.lru_cache(maxsize=None)
def _definitions(path, mtime_ns, size):
    """{name: source} of a Python file's top-level names and of its classes' members."""
    import ast
    source = Path(path).read_text(encoding='utf-8')
    lines = source.splitlines(keepends=True)
    found = {}

    def add(prefix, nodes):
        for node in nodes:
            parts = getattr(node, 'decorator_list', []) + [node]
            text = '\n'.join(_segment(lines, part) for part in parts)
            for name in _names(node):
                key = prefix + name
                found[key] = found[key] + '\n' + text if key in found else text
            if isinstance(node, ast.ClassDef) and not prefix:
                add(node.name + '.', node.body)

    add('', ast.parse(source).body)
    return found


def _names(node):
    """The names a statement defines: a def's or a class's, or an assignment's targets."""
    import ast
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, ast.AnnAssign) else []
    return {target.id for target in targets if isinstance(target, ast.Name)}


def _segment(lines, node):
    """The source text of one node (ast.get_source_segment, without splitting the file's
    lines again for every node)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    return ''.join([lines[first].encode()[node.col_offset:].decode(), *lines[first + 1:last],
                    lines[last].encode()[:node.end_col_offset].decode()])


def _position(name, order):
    """Where a step that is not written yet would stand, so ranges work while the book grows."""
    key = _sort_key(name)
    return next((i for i, n in enumerate(order) if _sort_key(n) >= key), len(order))


def _sort_key(name):
    return int(name[:-1]), name[-1]


def is_ignored(path):
    return any(part in IGNORED_NAMES for part in path.parts) or path.name.endswith(IGNORED_SUFFIXES)


def files(folder):
    """The files of a step folder (relative paths, sorted), without caches and databases."""
    folder = Path(folder)
    return sorted(p.relative_to(folder) for p in folder.rglob('*')
                  if p.is_file() and not is_ignored(p.relative_to(folder)))


def copy_files(source, dest):
    """Copy the files of a step folder (no caches or databases) into dest; their names."""
    import shutil
    names = files(source)
    for name in names:
        (Path(dest) / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(source) / name, Path(dest) / name)
    return names


def check_new_folder(path, force=False):
    """A folder a script is about to fill, as an absolute Path.

    Never one inside chapters/ or holding it (the steps are the reference), never a file, and
    never an existing non-empty folder unless `force`.
    """
    folder = Path(path).expanduser().resolve()
    if folder == CHAPTERS or CHAPTERS in folder.parents or folder in CHAPTERS.parents:
        raise UsageError('{} is (or holds) chapters/: choose a folder outside it'.format(path))
    if folder.exists() and not folder.is_dir():
        raise UsageError('{} exists and is not a folder'.format(path))
    if not force and folder.is_dir() and any(folder.iterdir()):
        raise UsageError('{} exists and is not empty'.format(path))
    return folder


def git(*args, cwd=ROOT, input=None):
    """Run git and return its standard output (bytes); a failure becomes a UsageError."""
    if not Path(cwd).is_dir():
        raise UsageError('no such folder: {}'.format(cwd))
    import subprocess  # here, not at the top: most scripts never run git
    try:
        result = subprocess.run(['git', *args], cwd=cwd, input=input, capture_output=True)
    except FileNotFoundError:
        raise UsageError('git is not installed') from None
    if result.returncode != 0:
        message = result.stderr.decode(errors='replace').strip().splitlines() or ['no message']
        raise UsageError('git {} failed: {}'.format(args[0], message[-1]))
    return result.stdout


def argument_parser(prog, doc, exit_status):
    """An ArgumentParser whose --help ends with the script's docstring (its examples first)
    and what its exit status means."""
    import argparse
    summary, _, rest = doc.strip().partition('\n')
    return argparse.ArgumentParser(
        prog=prog, description=summary, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='{}\n\nExit status: {}'.format(rest.strip('\n'), exit_status))


def main_guard(main):
    """Run a script's main(), turning a UsageError into one line on stderr and exit status 2."""
    try:
        sys.exit(main())
    except UsageError as error:
        print('{}: {}'.format(Path(sys.argv[0]).name, error), file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        # the reader (head, less) left early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
