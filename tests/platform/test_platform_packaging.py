"""The packaging files agree with the code and pass their validators (the bundle itself is built and
run by packaging/build-bundle.sh, after the tests)."""

from __future__ import annotations

import plistlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import trayapp
from trayapp.platform import autostart

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def run_validator(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is missing (scripts/setup-test-env.sh installs it)")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_linux_desktop_file_is_valid() -> None:
    path = PACKAGING / "linux" / "com.trayapp.trayapp.desktop"
    run_validator("desktop-file-validate", str(path))
    keys = autostart.parse_desktop_entry(path.read_text())
    assert keys["Exec"] == "trayapp" and keys["Icon"] == "com.trayapp.trayapp" and keys["StartupWMClass"] == "trayapp"


def test_appstream_metainfo_is_valid_and_current() -> None:
    path = PACKAGING / "linux" / "com.trayapp.trayapp.metainfo.xml"
    run_validator("appstreamcli", "validate", "--no-net", str(path))
    root = ET.parse(path).getroot()
    assert root.findtext("id") == "com.trayapp.trayapp"
    assert root.findtext("launchable") == "com.trayapp.trayapp.desktop"
    assert root.find("releases/release").get("version") == trayapp.__version__


def test_macos_info_plist() -> None:
    info = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())
    assert info["LSUIElement"] is True  # menu bar only: no Dock icon
    assert info["CFBundleIdentifier"] == autostart.MACOS_LABEL and info["CFBundleExecutable"] == "trayapp"
    assert info["CFBundleShortVersionString"] == trayapp.__version__


def test_pyinstaller_spec_data_exist() -> None:
    spec = (PACKAGING / "pyinstaller" / "trayapp.spec").read_text()
    sources = re.findall(r'files\("([^"]+)", "([^"]+)", "([^"]+)"\)', spec)
    assert len(sources) >= 6
    for folder, pattern, _dest in sources:
        if "translations" in folder:
            continue  # *.qm only once compiled
        assert list((ROOT / folder).glob(pattern)), f"{folder}/{pattern} matches nothing"
    for needed in ('collect_submodules("keyring.backends")', 'copy_metadata("keyring")',
                   '"trayapp/ui/status_icons"', '"trayapp/erp/profiles"', '"trayapp/ui/translations"'):
        assert needed in spec
    assert (PACKAGING / "pyinstaller" / "trayapp_entry.py").is_file()


def test_inno_setup_tasks_run_the_cli() -> None:
    iss = (PACKAGING / "windows" / "trayapp.iss").read_text()
    assert f'#define AppVersion "{trayapp.__version__}"' in iss
    run = {line.split("Parameters:")[1].split(";")[0].strip().strip('"'): line
           for line in iss.splitlines() if line.startswith("Filename:") and "Parameters:" in line}
    assert "Tasks: autostart" in run["autostart enable"] and "runasoriginaluser" in run["autostart enable"]
    assert "Tasks: service" in run["service install"]
    assert "RunOnceId" in run["service remove"] and "RunOnceId" in run["autostart disable"]
    assert re.search(r'^Name: "service";.*Check: IsAdminInstallMode', iss, re.M)
