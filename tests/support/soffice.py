"""Drive LibreOffice headless: the real spreadsheet application our workbooks must survive.

A private profile per call sets OOXMLRecalcMode to "always", so formulas are computed by
LibreOffice itself instead of trusting the cached results we wrote. Each call's profile is a
fresh copy of one made ready once per test process (LibreOffice's first start in an empty
profile costs a second or more), so no call sees what another call left behind.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

requires_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed"
)

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _fresh_profile(user: Path) -> None:
    user.mkdir()
    (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")


@functools.cache
def _ready_profile() -> Path | None:
    """A profile with the settings above that LibreOffice has started in once (then quit), or
    None where that failed (each call then starts from an empty profile, as before)."""
    assert SOFFICE
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-ready-"))
    atexit.register(shutil.rmtree, profile, ignore_errors=True)
    _fresh_profile(profile / "user")
    try:
        result = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--terminate_after_init",
            ],
            capture_output=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        return None
    settings = (profile / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    if result.returncode != 0 or settings.count("RecalcMode") != 2:
        return None
    return profile


def convert(
    source: Path,
    target_format: str,
    out_dir: Path,
    timeout: float = 120,
    infilter: str | None = None,
) -> Path:
    """Open ``source`` in LibreOffice, recalculate, and save it as ``target_format`` (xlsx, pdf, csv…).

    ``infilter`` names the import filter where the extension would choose the wrong one (an
    HTML file opens in Writer/Web unless told "HTML (StarWriter)", and Writer/Web has no pages).

    Returns the converted file's path. Raises AssertionError with LibreOffice's output on failure.
    """
    (produced,) = convert_many([source], target_format, out_dir, timeout, infilter)
    return produced


def convert_many(
    sources: Sequence[Path],
    target_format: str,
    out_dir: Path,
    timeout: float = 120,
    infilter: str | None = None,
) -> list[Path]:
    """:func:`convert` for several files in one start of LibreOffice (starting it is most of
    the cost of a small file). Their names without extension must differ: each is saved as
    ``out_dir/<name>.<extension>``. Returns the converted files' paths in the order given."""
    assert SOFFICE, "LibreOffice is not installed"
    stems = [source.stem for source in sources]
    assert sources and len(set(stems)) == len(stems), f"names must differ: {stems}"
    out_dir.mkdir(parents=True, exist_ok=True)
    ready = _ready_profile()
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        if ready is None:
            _fresh_profile(user)
        else:
            shutil.copytree(ready / "user", user)
        result = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                *([f"--infilter={infilter}"] if infilter else []),
                "--convert-to",
                target_format,
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    extension = target_format.split(":", 1)[0]
    produced = [out_dir / f"{source.stem}.{extension}" for source in sources]
    assert result.returncode == 0 and all(path.exists() for path in produced), (
        f"LibreOffice failed to convert {', '.join(map(str, sources))}: rc={result.returncode}\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return produced
