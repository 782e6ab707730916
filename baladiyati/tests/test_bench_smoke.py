"""The benchmark script runs: `bench/run.py --smoke`, 1,000 cases on SQLite, a few seconds.

Its figures mean nothing here (the suite runs alongside); what counts is that every step —
seeding, the production server, the load driver (wrk, or bench/loadgen.py without it), the
in-process measurements, export and import — works on a fresh machine, so that `make
bench` does too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_end_to_end_and_writes_its_report() -> None:
    out = Path(tempfile.mkdtemp()) / "benchmarks.md"
    out.write_text("# Benchmarks\n\nText kept as it is.\n")

    done = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "bench/run.py", "--smoke", "--databases", "sqlite", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text()
    assert report.startswith("# Benchmarks\n\nText kept as it is.\n")
    for heading in ("Open311 over HTTP", "raw SQL", "inbox", "import_open311", "report page"):
        assert heading in report, heading
    results = json.loads(out.with_suffix(".json").read_text())["sqlite"]
    for name, figures in results["reads"].items():
        assert figures["requests"] > 0, name
        assert figures["non_2xx"] == 0, name
    assert results["post"]["requests"] > 0
    assert results["post"]["non_2xx"] == 0
    imported = results["import"]
    assert imported["imported"] == imported["cases"] > 900, imported  # the published ones
    assert imported["rerun_new_cases"] == 0, imported
    assert "imported 0" in imported["rerun"], imported
    assert all(r["ratio"] > 0 for r in results["ratio"].values())
    assert results["inbox"]["department"]["rows"] > 0
    for role in ("supervisor", "clerk"):  # the back office's page itself, signed in
        assert results["inbox"]["page"][role]["runs"] > 0, results["inbox"]["page"]
