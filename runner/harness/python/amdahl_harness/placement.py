"""Which dotted name a project imports a file under, and which sys.path entries make that name resolve.

Regular packages: the name comes from walking up the folders that hold an __init__.py, and the folder above the
topmost one goes on sys.path, as pytest's rootdir-style import does. Namespace packages (folders without an
__init__.py) have no marker to walk, so they count only below a sys.path root: an entry that is already on sys.path
(PYTHONPATH, an editable install's .pth), one the runner configured (AMDAHL_PYTHONPATH: a .env PYTHONPATH, pyproject
pythonpath, amdahl.pythonPathEntries) or the project's src/ folder, and only inside the project, the nearest folder
above the file with pyproject.toml, setup.cfg, setup.py or .git. A file in neither is a loose script: it is imported
from its own folder under a private name, as before.
"""
from __future__ import annotations

import os
import sys
from typing import List, NamedTuple, Optional

# The runner's extra entries, os.pathsep-separated, in order of precedence, absolute.
ENTRIES_VARIABLE = "AMDAHL_PYTHONPATH"
LOOSE_MODULE_NAME = "__amdahl_target__"
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
_HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


class Placement(NamedTuple):
    """module: the dotted name (LOOSE_MODULE_NAME for a loose script); root: the sys.path entry it is imported from;
    entries: the configured entries; added: every entry this harness put on sys.path, in sys.path order."""

    module: str
    root: str
    entries: List[str]
    added: List[str]


def configured_entries() -> List[str]:
    value = os.environ.get(ENTRIES_VARIABLE, "")
    return [os.path.abspath(entry) for entry in value.split(os.pathsep) if entry]


def place(file: str) -> Placement:
    """Puts the configured entries on sys.path, finds the file's module name and root; the root is not added yet."""
    entries = configured_entries()
    added = _add_entries(entries)
    path = os.path.realpath(file)
    folder = os.path.dirname(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    parts = [stem]
    while os.path.isfile(os.path.join(folder, "__init__.py")) and os.path.basename(folder).isidentifier():
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    root = _namespace_root(path, folder)
    if root is not None and root != folder:
        parts = os.path.relpath(folder, root).split(os.sep) + parts
        folder = root
    # A top-level module named like one imported already (src/json.py) is imported as a script instead.
    # So is a file Python would not find by its dotted name (.pyw outside Windows).
    loose = len(parts) == 1 and (root is None or parts[0] in sys.modules) or not path.endswith(".py")
    if loose or not all(part.isidentifier() for part in parts):
        return Placement(LOOSE_MODULE_NAME, os.path.dirname(path), entries, added)
    return Placement(".".join(parts), folder, entries, added)


def add_root(placement: Placement) -> Placement:
    """Puts the root first on sys.path (as `python file.py` puts the script's folder) unless it is there already."""
    if placement.root in _real_path():
        return placement
    sys.path.insert(0, placement.root)
    return placement._replace(added=[placement.root] + placement.added)


def restore(placement: Placement) -> None:
    """In a pool or cluster worker: the same entries as the harness, whatever the start method copied or not."""
    present = _real_path()
    for entry in reversed(placement.added):
        if os.path.realpath(entry) not in present:
            sys.path.insert(0, entry)


def project_root(path: str) -> Optional[str]:
    folder = os.path.dirname(path)
    while True:
        if any(os.path.exists(os.path.join(folder, marker)) for marker in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _namespace_root(path: str, folder: str) -> Optional[str]:
    """The deepest sys.path root at or above folder, inside the project, with identifiers in between."""
    project = project_root(path)
    if project is None:
        return None
    roots = set(_real_path())
    # The project root or the working folder on sys.path only by accident (a worker's cwd, `python -m`) would make
    # every folder of the project a namespace package (and `test/` would meet the standard library's `test`):
    # they count only when the user named them.
    named = {os.path.realpath(entry) for entry in configured_entries() + _user_pythonpath()}
    for incidental in (os.path.realpath(project), os.path.realpath(os.getcwd())):
        if incidental not in named:
            roots.discard(incidental)
    roots.add(os.path.join(project, "src"))
    roots.discard(_HARNESS_ROOT)
    candidate = folder
    while True:
        if candidate in roots:
            return candidate
        if candidate == project or not os.path.basename(candidate).isidentifier():
            return None
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return None
        candidate = parent


def _user_pythonpath() -> List[str]:
    return [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]


def _real_path() -> List[str]:
    return [os.path.realpath(entry) for entry in sys.path if entry]


def _add_entries(entries: List[str]) -> List[str]:
    """Inserts entries after those from the user's own PYTHONPATH (which take precedence), in the given order."""
    present = _real_path()
    own = [os.path.realpath(entry) for entry in _user_pythonpath()]
    position = max([present.index(entry) + 1 for entry in own if entry in present] or [1])
    added: List[str] = []
    for entry in entries:
        if os.path.realpath(entry) in present or entry in added:
            continue
        sys.path.insert(position + len(added), entry)
        added.append(entry)
    return added
