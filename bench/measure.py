"""In-process measurements for bench/run.py, against the database the environment names.

    python bench/measure.py prepare            # planner statistics; a sample request id
    python bench/measure.py ratio URL...       # framework vs raw SQL per request, per URL
    python bench/measure.py inbox              # the back-office inbox query and page, p50/p95
    python bench/measure.py import FILE        # import_open311 FILE, timed, and again

Each prints one JSON document on stdout. Run with the same environment as the server
(DJANGO_SETTINGS_MODULE, SQLITE_PATH or DATABASE_URL, DEBUG=0 ...).

"Raw SQL" is the statements the endpoint itself sends, captured while it answers, then run
again and again through the bare driver (sqlite3 or psycopg) in this one process, rows
fetched: the database's part of a request with nothing of ours around it. "Framework" is
the whole request through the production WSGI application (baladiyati.wsgi) in this same
process — middleware, view, queries, serialisation — without HTTP. Their ratio is what
the framework costs on top.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baladiyati.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from baladiyati.cases.models import Case  # noqa: E402
from baladiyati.cities.models import Municipality  # noqa: E402
from baladiyati.handlers import environ  # noqa: E402
from baladiyati.wsgi import application  # noqa: E402 (the production entry point)


def out(data: Any) -> None:
    sys.stdout.write(json.dumps(data) + "\n")


def prepare() -> dict[str, Any]:
    """Planner statistics as a running database would have them; a sample request.

    PostgreSQL: what autovacuum does on a live server soon after a bulk insert — planner
    statistics, and the visibility map that lets it count from an index alone. SQLite keeps
    no statistics unless told to (ANALYZE), and Django never does: none are made.
    """
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    muscat = Municipality.objects.get(slug="muscat")
    top = Case.objects.of(muscat).order_by("-id").values_list("id", flat=True).first() or 0
    sample = (
        Case.objects.of(muscat)
        .public()
        .filter(id__gte=top // 2)
        .order_by("id")
        .values_list("reference", flat=True)
        .first()
    )
    return {
        "statistics_seconds": round(time.perf_counter() - started, 1),
        "sample_reference": sample,
        "cases": Case.objects.count(),
    }


class Recorder:
    """Collects (sql, params) of every statement Django sends."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def raw_runner() -> tuple[Any, Any]:
    """(run(statements), close) with the bare driver, configured like Django's connection."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(settings["NAME"])
        for pragma in settings["OPTIONS"].get("init_command", "").split(";"):
            if pragma.strip():
                raw.execute(pragma)

        def run_sqlite(statements: list[tuple[str, Any]]) -> None:
            for sql, params in statements:
                raw.execute(sql.replace("%s", "?").replace("%%", "%"), params or ()).fetchall()

        return run_sqlite, raw.close
    import psycopg

    raw = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=True,
        # Bound as Django binds them: server-side (settings.py), and never prepared unless
        # OPTIONS says when, as Django leaves psycopg's prepare_threshold at None. With
        # psycopg's own default (prepared after five runs) PostgreSQL switched the bbox page
        # to a generic plan on the eleventh run: 450 ms instead of 3 (docs/benchmarks.md).
        cursor_factory=(
            psycopg.Cursor
            if settings["OPTIONS"].get("server_side_binding")
            else psycopg.ClientCursor
        ),
        prepare_threshold=settings["OPTIONS"].get("prepare_threshold"),
    )

    def run_postgres(statements: list[tuple[str, Any]]) -> None:
        with raw.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run_postgres, raw.close


def timed(fn: Any, seconds: float) -> tuple[float, int]:
    """Mean seconds per call of `fn` over about `seconds` (after a warm-up call)."""
    fn()
    count, started = 0, time.perf_counter()
    while True:
        fn()
        count += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and count >= 5:
            return elapsed / count, count


def ratio(urls: list[str], seconds: float) -> dict[str, Any]:
    handler = application

    def framework(url: str) -> Any:
        def call() -> None:
            statuses: list[str] = []
            body = handler(environ(url), lambda status, headers: statuses.append(status))
            b"".join(body)
            body.close()
            if not statuses[0].startswith("200"):
                raise RuntimeError(f"{url}: {statuses[0]}")

        return call

    run_raw, close = raw_runner()
    results = {}
    try:
        for url in urls:
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                framework(url)()
            statements = recorder.statements
            raw_s, _count = timed(lambda statements=statements: run_raw(statements), seconds)
            fw_s, _count = timed(framework(url), seconds)
            results[url] = {
                "statements": len(statements),
                "raw_ms": round(raw_s * 1000, 4),
                "framework_ms": round(fw_s * 1000, 4),
                "ratio": round(fw_s / raw_s, 2),
                "sql": [sql for sql, _params in statements],
            }
    finally:
        close()
    return results


def inbox(runs: int) -> dict[str, Any]:
    """The back-office inbox the next issue builds: open cases by due time, first 50.

    Written as that page would query it — the ORM, select_related for what a row shows —
    for a department's clerk (the department with most open cases) and for a supervisor
    (every open case of the municipality).
    """
    muscat = Municipality.objects.get(slug="muscat")
    open_cases = Case.objects.of(muscat).open()
    busiest = open_cases.values("department").annotate(n=Count("id")).order_by("-n").first() or {}
    views = {
        "department": open_cases.filter(department_id=busiest.get("department")),
        "municipality": open_cases,
    }
    results: dict[str, Any] = {}
    for name, qs in views.items():
        page = qs.select_related("service", "department", "district", "assignee").order_by(
            "due_at", "id"
        )
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = list(page[:50])
            timings.append(time.perf_counter() - started)
        timings.sort()
        results[name] = {
            "open_cases": qs.count(),
            "rows": len(rows),
            "p50_ms": round(statistics.median(timings) * 1000, 2),
            "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000, 2),
            "sql": str(page[:50].query),
        }
    return results


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000, 2),
    }


def inbox_page(runs: int) -> dict[str, Any]:
    """The back office's inbox page itself, GET /backoffice/, for a supervisor (the whole
    city's open cases) and a clerk (their department's), each signed in as the two login
    steps leave a session (password, then a TOTP device); through Django's test client in
    this process, middleware, sessions, queries and template — without HTTP.
    """
    from django.apps import apps

    if not apps.is_installed("baladiyati.backoffice"):
        return {"error": "the back office is not installed"}
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from baladiyati.accounts.models import Role, StaffMembership

    muscat = Municipality.objects.get(slug="muscat")
    results: dict[str, Any] = {}
    for role in (Role.SUPERVISOR, Role.CLERK):
        membership = (
            StaffMembership.objects.filter(municipality=muscat, role=role, user__is_active=True)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is None:
            results[str(role)] = {"error": f"no {role} in the demo data"}
            continue
        user = membership.user
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:  # a throw-away database: give them one, as enrolment would
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        open_cases = Case.objects.of(muscat).open()
        if role == Role.CLERK:
            open_cases = open_cases.filter(department_id=membership.department_id)
        timings = []
        response = client.get("/backoffice/")  # warm-up: templates, caches
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/backoffice/")
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                break
        if response.status_code != 200:
            results[str(role)] = {"error": f"GET /backoffice/ answered {response.status_code}"}
            continue
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            client.get("/backoffice/")
        results[str(role)] = {
            "user": user.get_username(),
            "open_cases": open_cases.count(),
            "runs": len(timings),
            "queries": len(recorder.statements),
            "bytes": len(response.content),
            **_percentiles(timings),
        }
    return results


def import_file(path: str) -> dict[str, Any]:
    """`import_open311 PATH` into Muscat, timed here; then again (nothing must come in).

    Through call_command, in English (the summary is kept in the results), the same
    arguments as on the command line.
    """
    from django.core.management import call_command
    from django.utils import translation

    arguments = [path, "--municipality", "muscat", "--source-name", "bench", "-v0"]
    runs = []
    for _ in range(2):
        out = io.StringIO()
        with translation.override("en"):
            started = time.perf_counter()
            call_command("import_open311", *arguments, stdout=out)
            seconds = time.perf_counter() - started
        count = Case.objects.filter(external_source="bench").count()
        runs.append({"seconds": round(seconds, 2), "cases": count, "output": out.getvalue()})
    first, second = runs
    return {
        "imported": first["cases"],
        "import_seconds": first["seconds"],
        "import_rate": round(first["cases"] / first["seconds"]),
        "output": first["output"].strip(),
        "rerun": second["output"].strip().splitlines()[0],
        "rerun_new_cases": second["cases"] - first["cases"],
    }


def main() -> None:
    command = sys.argv[1]
    if command == "prepare":
        out(prepare())
    elif command == "ratio":
        seconds = float(os.environ.get("BENCH_RATIO_SECONDS", "2"))
        out(ratio(sys.argv[2:], seconds))
    elif command == "import":
        out(import_file(sys.argv[2]))
    elif command == "inbox":
        runs = int(os.environ.get("BENCH_INBOX_RUNS", "200"))
        try:
            page = inbox_page(max(5, runs // 4))
        except Exception as exc:  # a broken page is a result, not a failed run
            page = {"error": f"{type(exc).__name__}: {exc}"}
        out({**inbox(runs), "page": page})
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
