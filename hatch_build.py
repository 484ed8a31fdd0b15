"""Build hook: compile scrubber's optional C speed-ups (``scrubber/_speedups.c``, ``scrubber/_wordtable.c``).

scrubber is complete without them: each caller keeps its pure-Python code, with the same
results (``scrubber/speedups.py``). So a machine without a C compiler still installs the package; a failed build is
a warning, not an error. ``SCRUBBER_PURE_PYTHON=1`` at build time skips the compilation.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

EXTENSION = "scrubber._speedups"
SOURCES = ["scrubber/_speedups.c", "scrubber/_wordtable.c"]


class SpeedupsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if os.environ.get("SCRUBBER_PURE_PYTHON"):
            return
        editable = version == "editable"
        self._scratch = tempfile.mkdtemp(prefix="scrubber-build-")
        try:
            built = self._compile(in_place=editable)
        except Exception as error:  # a missing compiler or headers: the pure-Python path serves
            self.app.display_warning(f"scrubber: C speed-ups not built, pure Python is used ({error})")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if not editable:  # an editable install imports the module from the source tree
            build_data["force_include"][str(built)] = f"scrubber/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        # The wheel holds the module now (or the source tree does): the build folder can go.
        shutil.rmtree(getattr(self, "_scratch", ""), ignore_errors=True)

    def _compile(self, in_place: bool) -> Path:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        root = Path(self.root)
        extension = Extension(EXTENSION, SOURCES, extra_compile_args=["-O2"] if os.name == "posix" else [])
        distribution = Distribution({"name": "scrubber", "ext_modules": [extension]})
        command = build_ext(distribution)
        command.inplace = in_place
        command.build_temp = os.path.join(self._scratch, "temp")
        command.build_lib = os.path.join(self._scratch, "lib")
        here = os.getcwd()
        os.chdir(root)  # setuptools resolves the source and the in-place target from here
        try:
            command.ensure_finalized()
            command.run()
            return (root / command.get_ext_fullpath(EXTENSION)).resolve()
        finally:
            os.chdir(here)
