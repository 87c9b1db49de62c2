"""Drive LibreOffice headless: the real spreadsheet application our workbooks must survive.

A private profile per call sets OOXMLRecalcMode to "always", so formulas are computed by
LibreOffice itself instead of trusting the cached results we wrote.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
    assert SOFFICE, "LibreOffice is not installed"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
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
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    extension = target_format.split(":", 1)[0]
    produced = out_dir / f"{source.stem}.{extension}"
    assert result.returncode == 0 and produced.exists(), (
        f"LibreOffice failed to convert {source}: rc={result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return produced
