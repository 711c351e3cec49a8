"""pygal, imported once without the legacy import hook it installs.

pygal appends a hook for its map plugins (unused here) to `sys.meta_path`; on
Python 3.11 every failed import after it then warns that the hook has no
`find_spec` (openpyxl, for one, tries to import lxml). The hook is removed
right after pygal is loaded, before any other import can meet it.
"""

from __future__ import annotations

import sys

import pygal
from pygal.style import Style

sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

__all__ = ["Style", "pygal"]
