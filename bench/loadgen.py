"""A small HTTP load driver, for machines without wrk (the benchmark's smoke test in CI).

    python bench/loadgen.py URL [--post] [--connections 4] [--duration 2]

Keeps `connections` keep-alive connections busy for `duration` seconds, one thread each,
and prints one JSON line like bench/stats.lua: requests, rps, p50/p95/p99 in ms, non-2xx.
With --post it sends what bench/post_request.lua sends. Python's own overhead makes its
numbers lower than wrk's: `make bench` uses wrk; this is for checking that the benchmark
runs, not for the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import quote, urlsplit

SERVICES = [
    ("pothole", {"attribute[size]": "large"}),
    ("streetlight-out", {"attribute[pole_number]": "MCT-L-0412"}),
    ("bin-overflow", {"attribute[bin_type]": "wheelie_240"}),
    ("damaged-pavement", {}),
]
API_KEY = "b311_demo-muscat-app-key-for-local-testing-only"


def post_body(thread: int, counter: int) -> tuple[bytes, dict[str, str]]:
    code, answers = SERVICES[counter % len(SERVICES)]
    fields = {
        "api_key": API_KEY,
        "jurisdiction_id": "muscat",
        "service_code": code,
        "lat": f"{23.58 + (counter % 97) * 0.0004:.6f}",
        "long": f"{58.38 + (counter % 89) * 0.0006:.6f}",
        "description": f"حفرة في الطريق {counter}",
        "device_id": f"bench-{thread}-{counter % 50}",
        **answers,
    }
    body = "&".join(f"{quote(k)}={quote(v)}" for k, v in fields.items()).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Idempotency-Key": f"loadgen-{time.time_ns()}-{thread}-{counter}",
    }
    return body, headers


def run(url: str, *, post: bool, connections: int, duration: float) -> dict[str, float]:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    deadline = time.monotonic() + duration
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections

    def work(index: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        counter = 0
        while time.monotonic() < deadline:
            counter += 1
            started = time.perf_counter()
            if post:
                body, headers = post_body(index, counter)
                conn.request("POST", path, body=body, headers=headers)
            else:
                conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies[index].append(time.perf_counter() - started)
            if not 200 <= response.status < 300:
                failures[index] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    merged = sorted(x for per in latencies for x in per)

    def percentile(p: float) -> float:
        if not merged:
            return 0.0
        return merged[min(len(merged) - 1, int(len(merged) * p / 100))] * 1000

    return {
        "requests": len(merged),
        "seconds": round(seconds, 3),
        "rps": round(len(merged) / seconds, 2),
        "p50_ms": round(percentile(50), 3),
        "p95_ms": round(percentile(95), 3),
        "p99_ms": round(percentile(99), 3),
        "non_2xx": sum(failures),
        "socket_errors": 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--post", action="store_true")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=float, default=2.0)
    args = parser.parse_args()
    result = run(args.url, post=args.post, connections=args.connections, duration=args.duration)
    print(json.dumps(result))  # noqa: T201


if __name__ == "__main__":
    main()
