"""The package as users install it: a wheel with its data files, declared dependencies, the lock."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    """PEP 503 normalised distribution name of a requirement such as `PyYAML>=6`."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement)[0]).lower()


def _declared(group: str | None = None) -> set[str]:
    project = PYPROJECT["project"]
    found = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return {_name(requirement) for requirement in found}


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    return {_name(name): version for name, version in pins}


def _imported_modules(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"deckwright"}


def test_every_third_party_module_the_package_imports_is_declared():
    """A module that arrives only through another package (chevron, via genanki) is one release
    away from an ImportError. An optional feature's library may be an extra (`import`), not the
    test tools'."""
    owners = packages_distributions()
    extras = set(PYPROJECT["project"]["optional-dependencies"]) - {"test"}
    declared = _declared().union(*(_declared(extra) for extra in extras))
    missing = {
        module: owners.get(module)
        for module in _imported_modules(ROOT / "src" / "deckwright")
        if not {_name(dist) for dist in owners.get(module, [module])} & declared
    }
    assert missing == {}


def test_every_declared_dependency_is_pinned_in_the_lock():
    locked = _locked()
    declared = _declared() | _declared("test")
    assert sorted(declared - locked.keys()) == []


def _site_packages(environment: Path) -> Path:
    return Path(
        sysconfig.get_path("purelib", vars={"base": str(environment), "platbase": str(environment)})
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the wheel built from a copy of the sources, not an editable install.

    The dependencies come from this test run's own environment through a path entry, so the test
    needs no network; path entries do not run .pth files, so this run's editable deckwright stays
    invisible and only the wheel can answer `import deckwright`.
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    built = shutil.ignore_patterns("__pycache__", "*.egg-info")  # egg-info would list data files
    shutil.copytree(ROOT / "src", source / "src", ignore=built)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "wheels"), str(source)],
        check=True,
    )  # fmt: skip
    environment = work / "venv"
    venv.create(environment, with_pip=False)
    (wheel,) = (work / "wheels").glob("deckwright-*.whl")
    python = environment / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True,
    )  # fmt: skip
    outer = Path(sysconfig.get_path("purelib"))
    (_site_packages(environment) / "outer-dependencies.pth").write_text(f"{outer}\n")
    return environment


def _run(environment: Path, folder: Path, *command: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(environment / "bin" / "python"), *command],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_wheel_alone_runs_every_command_a_new_user_runs(installed, tmp_path):
    where = _run(installed, tmp_path, "-c", "import deckwright; print(deckwright.__file__)")
    assert str(installed) in where.stdout  # the wheel, not this checkout
    main = ["-c", "from deckwright.cli.main import main; main()"]  # the build-deck script's code
    script = (installed / "bin" / "build-deck").read_text(encoding="utf-8")
    assert "from deckwright.cli.main import main" in script
    assert _run(installed, tmp_path, *main, "init").returncode == 0
    assert _run(installed, tmp_path, *main).returncode == 0
    assert [path.suffix for path in (tmp_path / "dist").iterdir()] == [".apkg"]
    assert _run(installed, tmp_path, *main, "check").returncode == 0
    assert _run(installed, tmp_path, *main, "preview").returncode == 0
    page = (tmp_path / "dist" / "preview.html").read_text(encoding="utf-8")
    assert "<style" in page
    assert "<script" in page
    schema = _run(installed, tmp_path, *main, "schema")
    assert schema.returncode == 0
    assert '"$schema"' in schema.stdout
    version = _run(installed, tmp_path, "-m", "deckwright", "--version")
    assert version.returncode == 0
    assert PYPROJECT["project"]["version"] in version.stdout
