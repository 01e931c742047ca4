"""Third-party assets obtained from the npm registry at install or build time.

Nothing under this folder but ``pins.json`` and this module is committed: the
files are fetched with ``npm pack`` (the ordinary npm client, so registry
settings such as mirrors and proxies apply), checked against the pinned
Subresource-Integrity hash, and extracted beside this file.

The module uses only the standard library, because the build hook
(``hatch_build.py``) loads it before any dependency is installed.

Run ``python -m lemmata._vendor`` to fetch the assets by hand.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PINS_FILE = HERE / "pins.json"


class VendorError(Exception):
    """An asset could not be obtained or failed its integrity check."""


def pins() -> dict[str, dict[str, object]]:
    """The pinned packages, as written in ``pins.json``."""
    data: dict[str, dict[str, object]] = json.loads(PINS_FILE.read_text("utf-8"))
    return data


def asset_path(relative: str) -> Path:
    """Where a fetched asset lives; raises :class:`VendorError` if it is missing."""
    path = HERE / relative
    if not path.is_file():
        raise VendorError(
            f"missing third-party asset {relative!r}: it is fetched from the npm "
            "registry when lemmata is installed; run `python -m lemmata._vendor` "
            "(needs `npm` on PATH) or reinstall with `pip install -e .`"
        )
    return path


def is_complete(dest: Path = HERE) -> bool:
    """Whether every pinned file is already present."""
    return all(
        (dest / target).is_file() for pin in pins().values() for target in _files(pin).values()
    )


def fetch_all(dest: Path = HERE) -> None:
    """Fetch every pinned package that is not yet complete in ``dest``."""
    for name, pin in pins().items():
        if all((dest / t).is_file() for t in _files(pin).values()):
            continue
        _fetch(name, pin, dest)


def verify(label: str, data: bytes, integrity: str) -> None:
    """Check bytes against a Subresource-Integrity string (``sha512-<base64>``)."""
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha256", "sha384", "sha512"):
        raise VendorError(f"{label}: unsupported integrity algorithm {algo!r}")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise VendorError(
            f"{label}: integrity check failed (expected {integrity}, got {algo}-{actual}); "
            "refusing to use it"
        )


def _files(pin: dict[str, object]) -> dict[str, str]:
    files = pin["files"]
    assert isinstance(files, dict)
    return {str(k): str(v) for k, v in files.items()}


def _fetch(name: str, pin: dict[str, object], dest: Path) -> None:
    version, integrity = str(pin["version"]), str(pin["integrity"])
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(
            f"cannot fetch {name}@{version}: `npm` is not on PATH. Install Node.js "
            "and npm, then reinstall lemmata."
        )
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [npm, "pack", f"{name}@{version}", "--json", "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if proc.returncode != 0 or len(tarballs) != 1:
            raise VendorError(
                f"cannot fetch {name}@{version} from the npm registry "
                f"(npm exited {proc.returncode}): {proc.stderr.strip()[-500:]}"
            )
        verify(f"{name}@{version}", tarballs[0].read_bytes(), integrity)
        with tarfile.open(tarballs[0]) as tar:
            for member_name, target in _files(pin).items():
                member = tar.extractfile(member_name)
                if member is None:
                    raise VendorError(f"{name}@{version}: {member_name} not in package")
                out = dest / target
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(member.read())


def main() -> int:
    try:
        fetch_all()
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"third-party assets ready in {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
