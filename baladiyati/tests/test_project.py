"""Project-wide rules: migrations complete, deploy settings safe, imports pointing down."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "baladiyati"
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
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "baladiyati.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
