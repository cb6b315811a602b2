"""The wheel: built from the repository, it holds every module and works installed on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "amtui"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = list(out.glob("amtui-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    return target


PACKAGED_SUFFIXES = (".py", ".tcss", ".typed", ".md", ".toml", ".mo", ".po", ".pot")
"""Every file of these kinds under src/amtui is needed at run time (note templates are .md,
compiled catalogues .mo; a catalogue's .po and template .pot travel with it)."""

SHIPPED_FOLDERS = {"themes": "amtui/themes", "plugins": "amtui/bundled_plugins"}
"""Top-level folders of the repository that the wheel carries inside the package."""


def source_modules() -> set[str]:
    inside = {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.suffix in PACKAGED_SUFFIXES and "__pycache__" not in path.parts
    }
    return inside | set(shipped_files())


def shipped_files() -> dict[str, Path]:
    """Wheel path → repository file, for the folders shipped inside the package."""
    return {
        f"{target}/{path.relative_to(REPO / folder).as_posix()}": path
        for folder, target in SHIPPED_FOLDERS.items()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_wheel_holds_every_module(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    packaged = {name for name in names if name.endswith(PACKAGED_SUFFIXES)}
    expected = source_modules()
    assert "amtui/cli/__init__.py" in expected and "amtui/models/base.py" in expected
    assert "amtui/ui/app.tcss" in expected and "amtui/themes/amtui-dark.toml" in expected
    assert "amtui/templates/notes/anti-disaster.md" in expected
    assert "amtui/locale/ru/LC_MESSAGES/amtui.mo" in expected
    assert {f"amtui/bundled_plugins/{folder.parent.name}/locale/ru/LC_MESSAGES/"
            f"{folder.parent.name}.mo" for folder in (REPO / "plugins").glob("*/locale")
            } <= expected
    assert packaged == expected, {"missing": sorted(expected - packaged),
                                  "extra": sorted(packaged - expected)}
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert not [name for name in names if name.startswith(("tests/", "src/", ".venv"))]


def test_wheel_files_match_the_sources(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = shipped_files()
        for name in sorted(source_modules()):
            source = shipped.get(name, PACKAGE.parent / name)
            assert archive.read(name) == source.read_bytes(), name


def test_wheel_declares_the_script_and_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = archive.read(next(n for n in names
                                         if n.endswith(".dist-info/entry_points.txt"))).decode()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert "amtui = amtui.cli:main" in entry_points
    requires = [line for line in metadata.decode().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    for dependency in ("textual", "pluggy", "tinydb", "pydantic", "orjson", "platformdirs"):
        assert any(dependency in line for line in requires), dependency


def test_installed_wheel_captures_a_client(site: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    code = (
        "import contextlib, io, json, sys\n"
        "import amtui, amtui.cli\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    status = amtui.cli.main(['add', 'client', 'X', '--workspace', {str(workspace)!r}])\n"
        "print(json.dumps({'status': status, 'out': out.getvalue(), 'file': amtui.__file__}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8"}
    env.pop("AMTUI_WORKSPACE", None)
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert Path(result["file"]).is_relative_to(site), "the installed copy must be the one used"
    assert result["status"] == 0
    client_id = result["out"].strip()
    assert len(client_id) == 26
    stored = json.loads((workspace / "data" / "clients.json").read_bytes())
    assert stored["clients"][client_id]["name"] == "X"


def test_installed_wheel_finds_its_themes_templates_and_plugins_folder(site: Path,
                                                                        tmp_path: Path) -> None:
    code = (
        "import json, amtui\n"
        "from amtui.ui.themes import load_theme_files, shipped_theme_folder\n"
        "from amtui.services.templates import load_templates\n"
        "from amtui.plugins.host import bundled_folder\n"
        "print(json.dumps({'themes': sorted(t.name for t in load_theme_files().themes),\n"
        "    'folder': str(shipped_theme_folder()), 'plugins': str(bundled_folder()),\n"
        "    'templates': sorted(t.key for t in load_templates(None)[0])}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_CONFIG_HOME": str(tmp_path)}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)
    assert found["themes"] == ["amtui-16", "amtui-dark", "amtui-high-contrast", "amtui-light"]
    assert Path(found["folder"]).is_relative_to(site)
    assert Path(found["plugins"]).is_relative_to(site)
    assert "anti-disaster" in found["templates"]


def test_installed_wheel_speaks_russian(site: Path, tmp_path: Path) -> None:
    """The catalogue in the wheel is the one read: ``--lang ru`` shows the Russian of the
    repository's catalogue (red while that has no Russian for the description)."""
    from babel.messages.pofile import read_po

    with (PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "amtui.po").open("rb") as handle:
        description = read_po(handle).get(
            "A keyboard-driven terminal workspace for account managers.")
    assert description is not None and description.string, "no Russian for it yet"
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8",
           "XDG_CONFIG_HOME": str(tmp_path)}
    code = "import amtui, amtui.cli, sys; print(amtui.__file__); amtui.cli.main(sys.argv[1:])"
    ran = subprocess.run([sys.executable, "-c", code, "--lang", "ru", "--help"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert Path(ran.stdout.splitlines()[0]).is_relative_to(site), ran.stderr
    assert description.string in ran.stdout
