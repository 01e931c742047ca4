"""Build hook: fetch the pinned third-party assets (Temml, math font) from npm."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class VendorHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        path = Path(self.root) / "lemmata" / "_vendor" / "__init__.py"
        spec = importlib.util.spec_from_file_location("_lemmata_vendor", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.fetch_all()
        if version != "editable":
            # Fetched files are git-ignored; include them in the wheel explicitly.
            build_data["artifacts"].append("lemmata/_vendor/**")
