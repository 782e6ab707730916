"""Project-wide rules: migrations complete, deploy settings safe, imports pointing down."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "baladiyati"


def _run(
    command: list[str], env: dict[str, str] | None, cwd: Path = ROOT, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """A command of ours, its output captured as text."""
    return subprocess.run(  # noqa: S603 (our own commands)
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


DOMAINS = ["core", "cities", "accounts", "notify", "cases", "permits"]
INTERFACES = ["portal", "backoffice", "open311", "api", "insights", "siteadmin", "demo"]
# Each domain may import these of ours (DESIGN.md's table); nothing above it.
ALLOWED = {
    "core": set(),
    "cities": {"core"},
    "accounts": {"core", "cities"},
    "notify": {"core", "accounts"},
    "cases": {"core", "cities", "accounts", "notify"},
    "permits": {"core", "cities", "accounts", "notify"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in found if name.startswith("baladiyati.") and "." in name}


def test_no_domain_package_imports_a_package_above_it() -> None:
    problems = []
    for domain in DOMAINS:
        folder = PACKAGE / domain
        if not folder.exists():
            continue
        for path in folder.rglob("*.py"):
            if "tests" in path.parts:
                continue
            for target in _imports(path) - ALLOWED[domain] - {domain}:
                if target in ALLOWED or target in INTERFACES:
                    problems.append(f"{path.relative_to(ROOT)} imports baladiyati.{target}")
    assert problems == []


def test_the_import_check_would_see_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from baladiyati.cases.models import Case\nimport baladiyati.portal.views\n")
    assert _imports(bad) == {"cases", "portal"}


@pytest.mark.django_db
def test_every_model_change_has_a_migration() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_settings_pass_the_deploy_check() -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "baladiyati.example.om",
        "DJANGO_SETTINGS_MODULE": "baladiyati.settings",
    }
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "baladiyati.settings"})
    result = _run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


TRANSLATED_SOURCES = {".py", ".html", ".txt", ".js"}
NOT_SCANNED = {"tests", "migrations", "vendor", "node_modules", "__pycache__", "locale"}


def _untranslated(package: Path, tmp_path: Path) -> str:
    """msgfmt's statistics of the Arabic catalogue after makemessages has brought it up to
    date with the sources of `package` — on a copy, the repository's catalogue untouched."""
    copy = tmp_path / "baladiyati"
    for path in package.rglob("*"):
        relative = path.relative_to(package)
        if path.suffix in TRANSLATED_SOURCES and not NOT_SCANNED & set(relative.parts):
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy / relative)
    catalogue = Path("locale/ar/LC_MESSAGES/django.po")
    (copy / catalogue).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package / catalogue, copy / catalogue)
    # Without settings: makemessages then writes to the copy's locale/ only, never to the
    # LOCALE_PATHS of the project's settings.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    made = _run([sys.executable, "-m", "django", "makemessages", "-l", "ar"], env, copy, 300)
    assert made.returncode == 0, made.stderr
    msgfmt = shutil.which("msgfmt") or "msgfmt"
    counted = _run([msgfmt, "--statistics", "-o", os.devnull, str(catalogue)], None, copy, 60)
    assert counted.returncode == 0, counted.stderr
    return counted.stderr + counted.stdout


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_every_string_marked_for_translation_has_its_arabic(tmp_path: Path) -> None:
    statistics = _untranslated(PACKAGE, tmp_path)
    assert "translated messages" in statistics, statistics
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext is not installed")
def test_the_translation_check_would_see_a_new_string(tmp_path: Path) -> None:
    package = tmp_path / "source"
    shutil.copytree(PACKAGE / "locale", package / "locale")
    (package / "new.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "MESSAGE = _('A sentence nobody has translated yet')\n"
    )
    assert "1 untranslated message" in _untranslated(package, tmp_path / "work")
