"""`make bench`: generate N cases, serve them as in production, load them, write the results.

    python bench/run.py [--cases 1000000] [--databases sqlite,postgres] [--duration 15]
                        [--out docs/benchmarks.md] [--smoke]

For each database (SQLite in a throw-away file; PostgreSQL 15 in a throw-away cluster, by
scripts/with-postgres.sh):

1. migrate, `seed_demo --cases N` (timed), collectstatic;
2. the production server — granian, two workers, DEBUG=0, on loopback — loaded with wrk:
   Open311 GET requests.json (default query, status + service, bbox; 100 per page) and one
   request by id; then POST requests.json with an Idempotency-Key and a device_id per
   request (bench/post_request.lua); the citizen report page's first load (SQLite only);
3. in one process (bench/measure.py): the same reads as raw SQL against the framework, and
   the back-office inbox page (signed in as a supervisor and a clerk) and its query;
4. `export_cases` of the oldest cases, then `import_open311` of that file into a fresh
   database: cases per second.

The results are written into `--out` between two markers, leaving the text around them as
it is. `--smoke` is the few-second version the test suite runs (1,000 cases, SQLite, and a
small Python load driver when wrk is missing); its figures mean nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
START = "<!-- bench:results:start (written by bench/run.py; edit outside these markers) -->"
END = "<!-- bench:results:end -->"

READS = {
    "default": "requests.json?jurisdiction_id=muscat&page_size=100",
    "status_service": (
        "requests.json?jurisdiction_id=muscat&status=open&service_code=pothole&page_size=100"
    ),
    "bbox": "requests.json?jurisdiction_id=muscat&bbox=58.45,23.55,58.60,23.65&page_size=100",
    "one": "requests/{reference}.json?jurisdiction_id=muscat",
}
READ_NAMES = {
    "default": "GET requests.json, default query (last 90 days, newest first)",
    "status_service": "GET requests.json, status=open & service_code=pothole",
    "bbox": "GET requests.json, bbox (central Muscat)",
    "one": "GET requests/{id}.json, one request",
}


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def busy(seconds: float = 2.0) -> float:
    """The share of all cores busy over `seconds` (from /proc/stat), 0.0 to 1.0."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle

    try:
        total1, idle1 = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


def wait_for_quiet(limit: float, patience: float) -> float:
    """Wait (at most `patience` seconds) until the machine is idle but for `limit` of it —
    other work on a shared machine shows as lower figures. The share busy at the start."""
    deadline = time.monotonic() + patience
    while True:
        share = busy()
        if share <= limit or time.monotonic() >= deadline:
            if share > limit:
                log(f"still {share:.0%} busy with other work; measuring all the same")
            return round(share, 3)
        log(f"{share:.0%} busy with other work; waiting")
        time.sleep(5)


def run(cmd: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    log("$ " + " ".join(cmd))
    result = subprocess.run(  # noqa: S603 (our own commands)
        cmd, env=env, cwd=ROOT, text=True, capture_output=True, **kwargs
    )
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return result


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([PYTHON, "manage.py", *args], env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(workdir: Path, database_url: str | None, name: str = "bench") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="baladiyati.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Production settings redirect to HTTPS (a proxy in front terminates TLS); the
        # benchmark talks to the server directly, on loopback.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(workdir / f"{name}.sqlite3")
    return env


# ---------------------------------------------------------------------------- server and load


class Server:
    """granian, two workers, on a loopback port; the production entry point (wsgi)."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.cmd = [
            str(Path(PYTHON).parent / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-ws",
            "--log-level",
            "warning",
            "baladiyati.wsgi:application",
        ]
        self.base = f"http://127.0.0.1:{self.port}"
        log("$ " + " ".join(self.cmd))
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603
            self.cmd, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                sys.stderr.write(self.log.read().decode(errors="replace")[-4000:])
                raise SystemExit("the server did not start")
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def load(
    url: str, *, post: bool, loader: str, seconds: float, connections: int, quiet: float = 0
) -> dict[str, Any]:
    """Load `url` for `seconds` (wrk, or bench/loadgen.py); one JSON dict of figures.

    With `quiet`, first wait up to that many seconds for other work to stop."""
    others = wait_for_quiet(0.1, quiet) if quiet else None
    if loader == "wrk":
        script = BENCH / ("post_request.lua" if post else "stats.lua")
        cmd = [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            url,
        ]
    else:
        cmd = [PYTHON, str(BENCH / "loadgen.py"), url]
        cmd += ["--connections", str(connections), "--duration", str(seconds)]
        if post:
            cmd.append("--post")
    result = run(cmd, dict(os.environ))
    line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
    figures: dict[str, Any] = json.loads(line)
    figures["command"] = shlex.join(cmd).replace(str(ROOT) + "/", "")
    figures["others_busy"] = others
    return figures


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and "stylesheet" in (found.get("rel") or "") and found.get("href"):
            self.urls.append(found["href"] or "")
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"] or "")


def first_load(base: str, path: str) -> dict[str, Any]:
    """Bytes of a page and its same-origin CSS and JS, as sent with gzip accepted.

    What a browser's first visit transfers before anything is cached (Django's GZipMiddleware
    compresses the pages, WhiteNoise serves the static files pre-compressed); also what the
    HTML weighs gzipped, for a server run without that middleware.
    """

    def get(url: str) -> tuple[int, bytes, str]:
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            encoding = response.headers.get("Content-Encoding", "identity")
            return response.status, response.read(), encoding

    try:
        status, html, encoding = get(base + path)
    except OSError as exc:
        return {"path": path, "error": str(exc)}
    if status != 200:
        return {"path": path, "error": f"HTTP {status}"}
    text = gzip.decompress(html) if encoding == "gzip" else html
    parser = _Assets()
    parser.feed(text.decode(errors="replace"))
    files = [
        {
            "url": path,
            "bytes": len(html),
            "encoding": encoding,
            "gzip_bytes": len(gzip.compress(text)),
        }
    ]
    for asset in parser.urls:
        url = urljoin(base + path, asset)
        if urlsplit(url).netloc != urlsplit(base).netloc:
            continue
        _status, body, asset_encoding = get(url)
        files.append({"url": urlsplit(url).path, "bytes": len(body), "encoding": asset_encoding})
    sent = sum(f["bytes"] for f in files)
    proxied = files[0]["gzip_bytes"] + sum(f["bytes"] for f in files[1:])
    return {"path": path, "files": files, "bytes": sent, "bytes_html_gzipped": proxied}


# ---------------------------------------------------------------------------- one database


def bench_database(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    database_url = os.environ.get("DATABASE_URL") if kind == "postgres" else None
    env = environment(workdir, database_url)
    results: dict[str, Any] = {"database": kind, "load_before": loadavg()}
    commands: list[str] = []

    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0", env=env)
    results["migrate_seconds"] = round(time.perf_counter() - started, 1)
    seed = ["seed_demo", "--cases", str(args.cases)]
    if args.smoke:
        seed += ["--demo-cases", "0"]
    commands.append("python manage.py " + " ".join(seed))
    started = time.perf_counter()
    output = manage(*seed, "-v1", env=env).stdout
    results["seed_seconds"] = round(time.perf_counter() - started, 1)
    generated = re.search(r"Generated ([\d,]+) cases .* in ([\d.]+) s \(([\d,]+) cases/s\)", output)
    if generated:
        results["generated"] = {
            "cases": int(generated.group(1).replace(",", "")),
            "seconds": float(generated.group(2)),
            "rate": int(generated.group(3).replace(",", "")),
        }
    manage("collectstatic", "--noinput", "-v0", env=env)
    prepared = json.loads(run([PYTHON, str(BENCH / "measure.py"), "prepare"], env).stdout)
    results["prepare"] = prepared
    reference = prepared["sample_reference"]
    urls = {name: "/open311/v2/" + q.format(reference=reference) for name, q in READS.items()}

    server = Server(env, args.workers)
    results["server"] = "granian " + shlex.join(server.cmd[1:])
    try:
        reads = {}
        for name, path in urls.items():
            if args.warmup:
                load(
                    server.base + path,
                    post=False,
                    loader=args.loader,
                    seconds=args.warmup,
                    connections=args.connections,
                )
            figures = load(
                server.base + path,
                post=False,
                loader=args.loader,
                seconds=args.duration,
                connections=args.connections,
                quiet=args.patience,
            )
            figures.update(path=path, load_before=loadavg())
            reads[name] = figures
            log(f"{kind} {name}: {figures['rps']:.0f} req/s, p99 {figures['p99_ms']:.1f} ms")
        results["reads"] = reads
        if args.warmup:  # as the reads: a fresh server's page cache fills first
            load(
                server.base + "/open311/v2/requests.json",
                post=True,
                loader=args.loader,
                seconds=args.warmup,
                connections=args.connections,
            )
        post = load(
            server.base + "/open311/v2/requests.json",
            post=True,
            loader=args.loader,
            seconds=args.duration,
            connections=args.connections,
            quiet=args.patience,
        )
        post["load_before"] = loadavg()
        results["post"] = post
        log(f"{kind} POST: {post['rps']:.0f} req/s, p99 {post['p99_ms']:.1f} ms")
        if kind == "sqlite":
            results["portal"] = {p: first_load(server.base, p) for p in ("/report", "/")}
    finally:
        server.stop()

    measure_env = dict(env, BENCH_RATIO_SECONDS=str(args.ratio_seconds))
    measure_env["BENCH_INBOX_RUNS"] = str(args.inbox_runs)
    ratio_cmd = [PYTHON, str(BENCH / "measure.py"), "ratio", *urls.values()]
    results["ratio"] = json.loads(run(ratio_cmd, measure_env).stdout)
    inbox_cmd = [PYTHON, str(BENCH / "measure.py"), "inbox"]
    results["inbox"] = json.loads(run(inbox_cmd, measure_env).stdout)
    results["import"] = bench_import(kind, args, workdir, env, database_url)
    results["commands"] = commands
    return results


def bench_import(
    kind: str,
    args: argparse.Namespace,
    workdir: Path,
    env: dict[str, str],
    database_url: str | None,
) -> dict[str, Any]:
    """export_cases of the oldest cases, then import_open311 into a fresh database."""
    count = min(args.cases, args.import_cases)
    export_file = workdir / "export.json"
    export = [
        "export_cases",
        "--municipality",
        "muscat",
        "--limit",
        str(count),
        "--output",
        str(export_file),
    ]
    started = time.perf_counter()
    manage(*export, "-v0", env=env)
    export_seconds = time.perf_counter() - started
    with open(export_file, "rb") as lines:
        exported = sum(1 for line in lines if line.startswith(b"{"))  # one request a line

    target_url = None
    if database_url:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_import")
            conn.execute("CREATE DATABASE bench_import")
        target_url = database_url.rsplit("/", 1)[0] + "/bench_import"
    target = environment(workdir, target_url, name="import")
    manage("migrate", "--noinput", "-v0", env=target)
    manage("seed_demo", "--demo-cases", "0", "-v0", env=target)
    imported = [
        "import_open311",
        str(export_file),
        "--municipality",
        "muscat",
        "--source-name",
        "bench",
    ]
    measured = json.loads(
        run([PYTHON, str(BENCH / "measure.py"), "import", str(export_file)], target).stdout
    )
    return {
        "cases": exported,
        "file_bytes": export_file.stat().st_size,
        "export_seconds": round(export_seconds, 2),
        "export_rate": round(exported / export_seconds),
        **measured,
        "commands": [
            "python manage.py " + " ".join(export).replace(str(workdir) + "/", ""),
            "python manage.py " + " ".join(imported).replace(str(workdir) + "/", ""),
        ],
    }


# ---------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    def first(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)  # noqa: S603
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "not found"

    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    import django

    postgres = "not found"
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        postgres = first([str(candidate), "--version"])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": postgres,
        "granian": first([str(Path(PYTHON).parent / "granian"), "--version"]),
        "wrk": first(["wrk", "-v"]) if shutil.which("wrk") else "not installed",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "speed": speed_reference(),
    }


def speed_reference() -> dict[str, float]:
    """The same fixed work timed on every machine, the best of five: a pure-Python loop and
    SQLite sorting in memory. The machines this runs on are shared and not all alike — the
    same code measured 30-45% slower from one session's machine to the next — so a run's
    figures are read against these two, not only against a run made elsewhere."""

    def python_work() -> None:
        total = 0
        for i in range(2_000_000):
            total += i % 7
        "".join(str(i) for i in range(200_000))

    def sqlite_work() -> None:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE TABLE t (a INTEGER, b TEXT)")
        db.executemany(
            "INSERT INTO t VALUES (?, ?)", ((i * 7919 % 100_003, str(i)) for i in range(100_000))
        )
        db.execute("CREATE INDEX t_a ON t (a)")
        db.execute("SELECT count(*), max(b) FROM t WHERE a BETWEEN 1000 AND 90000").fetchall()
        db.close()

    def best(work: Any) -> float:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
        return round(min(timings) * 1000, 1)

    return {"python_ms": best(python_work), "sqlite_ms": best(sqlite_work)}


def _ok(value: float, target: float, higher: bool = True) -> str:
    met = value >= target if higher else value <= target
    return "✓" if met else "✗"


def render(all_results: dict[str, Any], args: argparse.Namespace) -> str:
    m = all_results["machine"]
    lines = [
        f"Run of {m['date']}: `{all_results['command']}`.",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| memory | {m['memory']} |",
        *(
            [
                f"| speed reference | {m['speed']['python_ms']:.0f} ms of Python, "
                f"{m['speed']['sqlite_ms']:.0f} ms of SQLite (`bench/run.py: speed_reference`; "
                "lower is faster: read the figures below against these) |"
            ]
            if "speed" in m
            else []
        ),
        f"| system | {m['os']} |",
        f"| versions | Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}, "
        f"{m['postgres']}, {m['granian']}, {m['wrk']} |",
        f"| load | {args.connections} connections, {args.duration:g} s per test after "
        f"{args.warmup:g} s of warm-up; loader: {args.loader} |",
        "",
    ]
    databases = [all_results[k] for k in ("sqlite", "postgres") if k in all_results]
    if not databases:
        return "\n".join(lines)
    names = [d["database"] for d in databases]
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    head = "| | " + " | ".join(title[n] for n in names) + " | target |"
    rule = "|---|" + "---|" * len(names) + "---|"

    lines += ["### Open311 over HTTP (req/s, p50, p99)", "", head, rule]
    targets = {"default": 1000, "status_service": 1000, "bbox": 1000, "one": 3000}
    for key, label in READ_NAMES.items():
        cells = []
        for d in databases:
            f = d["reads"][key]
            mark = f" {_ok(f['rps'], targets[key])}" if d["database"] == "sqlite" else ""
            errors = f", **{f['non_2xx']} errors**" if f["non_2xx"] else ""
            cells.append(
                f"{f['rps']:,.0f}/s{mark} · {f['p50_ms']:.1f} ms · {f['p99_ms']:.1f} ms{errors}"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + f" | ≥ {targets[key]:,}/s (SQLite) |")
    cells = []
    for d in databases:
        f = d["post"]
        target = 500 if d["database"] == "sqlite" else 1000
        errors = f", **{f['non_2xx']} errors**" if f["non_2xx"] else ""
        cells.append(
            f"{f['rps']:,.0f}/s {_ok(f['rps'], target)} · {f['p50_ms']:.1f} ms · "
            f"{f['p99_ms']:.1f} ms{errors}"
        )
    lines.append(
        "| POST requests.json (idempotency key + device resend check) | "
        + " | ".join(cells)
        + " | ≥ 500/s SQLite, ≥ 1,000/s PostgreSQL |"
    )
    lines += ["", "### The same reads: framework against raw SQL, per request, one process", ""]
    lines += [
        "| | " + " | ".join(f"{title[n]}: raw · framework · ratio" for n in names) + " | target |",
        rule,
    ]
    for key, label in READ_NAMES.items():
        cells = []
        for d in databases:
            path = d["reads"][key]["path"]
            r = d["ratio"][path]
            cells.append(
                f"{r['raw_ms']:.3f} ms · {r['framework_ms']:.3f} ms · "
                f"**{r['ratio']:.2f}×** {_ok(r['ratio'], 2, higher=False)}"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " | ≤ 2× |")
    lines += [
        "",
        "Over HTTP, two workers on two cores, the machine spends 2 / (req/s) per request: "
        + "; ".join(
            f"{title[d['database']]} "
            + ", ".join(
                f"{key} {2000 / d['reads'][key]['rps']:.2f} ms" for key in READ_NAMES if key
            )
            for d in databases
        )
        + ".",
        "",
        "### Back-office inbox",
        "",
        "The page, `GET /backoffice/`, signed in (password and TOTP), through Django's test "
        "client in one process; and the query of its first page alone, through the ORM.",
        "",
        "| | " + " | ".join(title[n] for n in names) + " | target |",
        rule,
    ]

    def page_cell(found: dict[str, Any] | None) -> str:
        if not found:
            return "not measured"
        if "error" in found:
            return str(found["error"])
        return (
            f"{found['open_cases']:,} open · p50 {found['p50_ms']:.1f} ms · p95 "
            f"{found['p95_ms']:.1f} ms {_ok(found['p95_ms'], 150, higher=False)} "
            f"({found['queries']} queries, {found['bytes'] / 1024:.0f} KB)"
        )

    for role, label in (
        ("supervisor", "the page for a supervisor (the whole city's open cases)"),
        ("clerk", "the page for a clerk (their department's open cases)"),
    ):
        cells = []
        for d in databases:
            page = d["inbox"].get("page") or {}
            cells.append(page_cell(page if "error" in page else page.get(role)))
        lines.append(f"| {label} | " + " | ".join(cells) + " | p95 < 150 ms |")
    for view, label in (
        ("department", "query: busiest department's open cases by due time, first 50"),
        ("municipality", "query: all open cases of Muscat by due time, first 50"),
    ):
        cells = [
            f"{d['inbox'][view]['open_cases']:,} open · p50 {d['inbox'][view]['p50_ms']:.1f} ms"
            f" · p95 {d['inbox'][view]['p95_ms']:.1f} ms "
            f"{_ok(d['inbox'][view]['p95_ms'], 150, higher=False)}"
            for d in databases
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " | p95 < 150 ms |")
    lines += [
        "",
        "### Bulk: generation, export, import",
        "",
        "| | " + " | ".join(title[n] for n in names) + " | target |",
        rule,
    ]
    cells = []
    for d in databases:
        g = d.get("generated") or {}
        cells.append(
            f"{g.get('cases', 0):,} in {g.get('seconds', 0):.1f} s ({g.get('rate', 0):,}/s)"
        )
    lines.append("| `seed_demo --cases` (generate + insert) | " + " | ".join(cells) + " | |")
    cells = [
        f"{d['import']['cases']:,} in {d['import']['export_seconds']:.1f} s "
        f"({d['import']['export_rate']:,}/s, {d['import']['file_bytes'] / 1e6:.0f} MB)"
        for d in databases
    ]
    lines.append(
        "| `export_cases` (GeoReport JSON, with extensions) | " + " | ".join(cells) + " | |"
    )
    cells = [
        f"{d['import']['imported']:,} in {d['import']['import_seconds']:.1f} s "
        f"(**{d['import']['import_rate']:,}/s** {_ok(d['import']['import_rate'], 20000)})"
        for d in databases
    ]
    lines.append(
        "| `import_open311` of that file, into a fresh database | "
        + " | ".join(cells)
        + " | ≥ 20,000/s |"
    )
    cells = [d["import"]["rerun"] or "?" for d in databases]
    lines.append("| the same import again | " + " | ".join(cells) + " | nothing imported |")
    portal = all_results.get("sqlite", {}).get("portal")
    if portal:
        lines += ["", "### Citizen report page, first load (SQLite server)", ""]
        for path, p in portal.items():
            if "error" in p:
                lines.append(f"- `{path}`: {p['error']}")
                continue
            files = ", ".join(
                f"`{f['url']}` {f['bytes'] / 1024:.1f} KB"
                + (f" ({f['encoding']})" if f.get("encoding") else "")
                for f in p["files"]
            )
            lines.append(
                f"- `{path}`: **{p['bytes'] / 1024:.1f} KB** as served "
                f"{_ok(p['bytes'] / 1024, 150, higher=False)} (target ≤ 150 KB); "
                f"{p['bytes_html_gzipped'] / 1024:.1f} KB with the HTML gzipped by a proxy. "
                f"{files}."
            )
    lines += ["", "### Commands", "", "```sh"]
    lines.append(all_results["command"])
    for d in databases:
        lines.append(f"# {title[d['database']]}")
        lines += d["commands"]
        lines.append(d["server"])
        for key in READ_NAMES:
            lines.append(d["reads"][key]["command"])
        lines.append(d["post"]["command"])
        lines += d["import"]["commands"]
    lines += ["```", ""]

    def share(value: Any) -> str:
        return "?" if value is None else f"{value:.0%}"

    loads = "; ".join(
        f"{title[d['database']]}: "
        + ", ".join(share(d["reads"][k].get("others_busy")) for k in READ_NAMES)
        + f", POST {share(d['post'].get('others_busy'))}"
        for d in databases
    )
    lines += [
        "Other work on the machine just before each load test (the share of both cores "
        f"busy while our server idled; each test waits up to {args.patience:g} s for it to "
        f"drop to 10%) — {loads}."
    ]
    return "\n".join(lines)


def write_report(path: Path, body: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n\n" + START + "\n" + END + "\n"
    if START not in text or END not in text:
        text = text.rstrip() + "\n\n" + START + "\n" + END + "\n"
    before, rest = text.split(START, 1)
    _old, after = rest.split(END, 1)
    path.write_text(before + START + "\n" + body.rstrip() + "\n" + END + after)


# ---------------------------------------------------------------------------- main


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--import-cases", type=int, default=200_000)
    parser.add_argument("--ratio-seconds", type=float, default=3)
    parser.add_argument("--inbox-runs", type=int, default=200)
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--patience",
        type=float,
        default=300,
        help="seconds to wait before each load test for other work on the machine to stop",
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--smoke", action="store_true", help="a few seconds, 1,000 cases")
    # Internal: one database's run, inside scripts/with-postgres.sh, results to a file.
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.cases = min(args.cases, 1000)
        args.duration, args.warmup = 1, 0
        args.connections = 2
        args.import_cases, args.ratio_seconds, args.inbox_runs = 1000, 0.2, 5
        args.patience = 0
    if args.loader == "auto":
        args.loader = "wrk" if shutil.which("wrk") else "python"
    return args


def main() -> None:
    args = parse()
    if args.inner:
        workdir = Path(args.workdir)
        result = bench_database(args.inner, args, workdir)
        (workdir / f"{args.inner}.json").write_text(json.dumps(result, indent=1))
        return
    command = " ".join(["python bench/run.py", *sys.argv[1:]])
    workdir = Path(tempfile.mkdtemp(prefix="baladiyati-bench-"))
    results: dict[str, Any] = {"machine": machine(), "command": command}
    try:
        for kind in [d.strip() for d in args.databases.split(",") if d.strip()]:
            log(f"--- {kind}: {args.cases:,} cases (work directory {workdir})")
            inner = [PYTHON, str(BENCH / "run.py"), *sys.argv[1:], "--inner", kind]
            inner += ["--workdir", str(workdir), "--loader", args.loader]
            if kind == "postgres":
                inner = [str(ROOT / "scripts" / "with-postgres.sh"), *inner]
            elif kind != "sqlite":
                raise SystemExit(f"unknown database {kind}")
            done = subprocess.run(inner, cwd=ROOT)  # noqa: S603
            if done.returncode:
                raise SystemExit(f"the {kind} run failed")
            results[kind] = json.loads((workdir / f"{kind}.json").read_text())
            # After each database: a run stopped during the next one keeps these figures.
            save(results, args)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def save(results: dict[str, Any], args: argparse.Namespace) -> None:
    raw = Path(args.out).with_suffix(".json")
    raw.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    write_report(Path(args.out), render(results, args))
    log(f"results written to {args.out} (and {raw.name})")


if __name__ == "__main__":
    main()
