"""The `learned` extra not installed, in this process: scikit-learn made unimportable for a
test's duration, as where `pip install mysymbols` left it out (the service's own check,
`app.scoring.scorers.learned.available`, is not touched; it finds the module missing)."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from types import ModuleType

MISSING = "sklearn"


class _Missing(importlib.abc.MetaPathFinder):
    """First on `sys.meta_path`: scikit-learn and its submodules are not found anywhere."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname == MISSING or fullname.startswith(f"{MISSING}."):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@contextmanager
def sklearn_missing() -> Iterator[None]:
    """`import sklearn` fails while inside; the modules imported before are set aside, then put
    back with the finder removed."""
    imported = {
        name: module
        for name, module in sys.modules.items()
        if name == MISSING or name.startswith(f"{MISSING}.")
    }
    for name in imported:
        del sys.modules[name]
    finder = _Missing()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if n == MISSING or n.startswith(f"{MISSING}.")]:
            del sys.modules[name]  # none should be: a half-imported one would shadow the real
        sys.modules.update(imported)
