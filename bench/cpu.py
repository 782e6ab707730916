"""CPU time per request, in one process, without HTTP: for before/after comparisons of speed
work on a machine other work shares (where req/s over HTTP are noisy).

    python bench/cpu.py [--seconds 5] [--profile] [NAME ...]

NAME is one of post, default, status_service, bbox, one (all of them by default). Each
request goes through the production WSGI application (baladiyati.wsgi) — middleware, view,
queries, serialisation — as under granian, against the database the environment names
(SQLITE_PATH or DATABASE_URL; run with bench/run.py's environment: DEBUG=0 ...). Prints,
per request, the process CPU time and the wall time (which includes waiting for PostgreSQL
and for the cores other work takes).
POSTs are what bench/post_request.lua sends: form-encoded, the demo API key, a fresh
Idempotency-Key and a device_id, so both duplicate checks run. `--profile` prints a
pyinstrument profile of each instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baladiyati.settings")

import django

django.setup()

from baladiyati.cases.models import Case  # noqa: E402
from baladiyati.handlers import environ  # noqa: E402
from baladiyati.wsgi import application  # noqa: E402 (the production entry point)

GETS = {
    "default": "/open311/v2/requests.json?jurisdiction_id=muscat&page_size=100",
    "status_service": "/open311/v2/requests.json?jurisdiction_id=muscat&status=open"
    "&service_code=pothole&page_size=100",
    "bbox": "/open311/v2/requests.json?jurisdiction_id=muscat&bbox=58.45,23.55,58.60,23.65"
    "&page_size=100",
    "one": "/open311/v2/requests/{reference}.json?jurisdiction_id=muscat",
}
SERVICES = [
    ("pothole", "&attribute%5Bsize%5D=large"),
    ("streetlight-out", "&attribute%5Bpole_number%5D=MCT-L-0412"),
    ("bin-overflow", "&attribute%5Bbin_type%5D=wheelie_240"),
    (
        "illegal-dumping",
        "&attribute%5Bwaste_type%5D%5B%5D=construction&attribute%5Bwaste_type%5D%5B%5D=household",
    ),
    ("damaged-pavement", ""),
]
RUN = str(time.time_ns())


class Requests:
    def __init__(self) -> None:
        self.handler = application
        self.counter = 0
        reference = (
            Case.objects.public().order_by("-id").values_list("reference", flat=True).first()
        )
        self.gets = {k: v.format(reference=reference) for k, v in GETS.items()}

    def call(self, env: dict[str, Any]) -> None:
        statuses: list[str] = []
        body = self.handler(env, lambda status, headers: statuses.append(status))
        content = b"".join(body)
        body.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{env['PATH_INFO']}: {statuses[0]} {content[:300]!r}")

    def post(self) -> None:
        self.counter += 1
        n = self.counter
        code, answers = SERVICES[n % len(SERVICES)]
        body = (
            "api_key=b311_demo-muscat-app-key-for-local-testing-only&jurisdiction_id=muscat"
            f"&service_code={code}{answers}&lat={23.58 + (n % 97) * 0.0004:.6f}"
            f"&long={58.38 + (n % 89) * 0.0006:.6f}"
            f"&description={quote('حفرة في الطريق ' + str(n))}&device_id=profile-{RUN}-{n % 50}"
        ).encode()
        headers = {"Idempotency-Key": f"profile-{RUN}-{n}"}
        self.call(environ("/open311/v2/requests.json", body, headers))

    def function(self, name: str) -> Any:
        if name == "post":
            return self.post
        url = self.gets[name]
        return lambda: self.call(environ(url))


def measure(fn: Any, seconds: float, rounds: int = 5) -> tuple[float, float, int]:
    """(CPU ms, wall ms) per call and the number of calls, after three warm-up calls.

    In `rounds` rounds, the figures of the quickest: on a machine other work shares, the
    CPU time of a request grows when another process runs on the other core (caches,
    memory bandwidth); the least disturbed round comes closest to the request's own cost.
    """
    for _ in range(3):
        fn()
    best: tuple[float, float, int] | None = None
    total = 0
    for _ in range(rounds):
        count = 0
        cpu, wall = time.process_time(), time.perf_counter()
        while True:
            fn()
            count += 1
            elapsed = time.perf_counter() - wall
            if elapsed >= seconds / rounds and count >= 10:
                break
        figures = ((time.process_time() - cpu) * 1000 / count, elapsed * 1000 / count, count)
        total += count
        if best is None or figures[0] < best[0]:
            best = figures
    assert best is not None
    return best[0], best[1], total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=["post", *GETS])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    requests = Requests()
    for name in args.names:
        fn = requests.function(name)
        if args.profile:
            from pyinstrument import Profiler

            for _ in range(3):
                fn()
            profiler = Profiler(interval=0.0002)
            profiler.start()
            started = time.perf_counter()
            while time.perf_counter() - started < args.seconds:
                fn()
            profiler.stop()
            sys.stdout.write(f"===== {name}\n")
            sys.stdout.write(profiler.output_text(unicode=True, color=False, show_all=False))
            continue
        cpu, wall, count = measure(fn, args.seconds)
        sys.stdout.write(f"{name:16s} CPU {cpu:7.3f} ms  wall {wall:7.3f} ms  ({count} requests)\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
