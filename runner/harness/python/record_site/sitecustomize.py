"""Put on PYTHONPATH by `amdahl record`: installs the recorder (amdahl_harness/recorder.py) in every Python process of
the recorded command, then runs the sitecustomize this one hides (Debian's, a virtual environment's), if any."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _install() -> None:
    config = os.environ.get("AMDAHL_RECORD")
    if not config:
        return
    harness = os.path.dirname(_HERE)
    if harness not in sys.path:
        sys.path.append(harness)  # last: the program's own modules keep their precedence
    try:
        from amdahl_harness.recorder import install

        install(config)
    except Exception as error:  # never break the user's program
        sys.stderr.write("amdahl record: the recorder could not start: %s: %s\n" % (type(error).__name__, error))


def _chain() -> None:
    """The next sitecustomize on sys.path, run as if it were the only one."""
    import importlib.machinery
    import importlib.util

    path = [entry for entry in sys.path if os.path.abspath(entry or ".") != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None or spec.origin == __file__:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        sys.stderr.write("Error in sitecustomize (%s): %s: %s\n" % (spec.origin, type(error).__name__, error))


_install()
_chain()
