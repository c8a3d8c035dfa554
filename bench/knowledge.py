"""Benchmark: kennisbank search over 20,000 resources, on SQLite and on PostgreSQL.

`python -m bench.knowledge [--resources N] [--requests N]` prints one JSON object with p50/p95
server time of a full-text search page (query + facets + snippets) and of a trivial view
(`/healthz`) measured in the same process as the baseline. Each database runs in its own
subprocess against a throw-away database. Target: search p95 <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

WORDS = [
    "zonnepanelen",
    "windmolen",
    "robotarm",
    "metselen",
    "lassen",
    "programmeren",
    "sensor",
    "energie",
    "brug",
    "waterfilter",
    "kas",
    "game",
    "verpakking",
    "raket",
    "elektriciteit",
    "installatie",
    "duurzaam",
    "haven",
    "fiets",
    "ontwerp",
]
FILLER = (
    "Leerlingen werken in groepjes aan een opdracht uit de praktijk. Ze maken een ontwerp, "
    "bouwen een prototype en presenteren het resultaat aan de klas en de opdrachtgever."
)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def worker(resources: int, requests: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from maakstad.accounts.models import User
    from maakstad.knowledge import search
    from maakstad.knowledge.models import Resource, ResourceStatus
    from maakstad.organisations.models import Membership, Organisation, Region, Role, Term

    rng = random.Random(7)
    region = Region.objects.create(slug="bench", name="Bench")
    school = Organisation.objects.create(region=region, kind="vmbo", name="Benchschool")
    user = User.objects.create_user("bench@example.test", "x")
    Membership.objects.create(user=user, organisation=school, role=Role.TEACHER)
    worlds = list(Term.objects.worlds())
    started = time.perf_counter()
    batch = [
        Resource(
            region=region,
            organisation=school,
            kind=rng.choice(["lesson_plan", "assignment", "presentation", "lesson_kit"]),
            title=f"{rng.choice(WORDS).capitalize()} en {rng.choice(WORDS)} {i}",
            summary=f"Een les over {rng.choice(WORDS)} en {rng.choice(WORDS)}.",
            body=f"{FILLER} Thema: {' '.join(rng.sample(WORDS, 5))}.",
            status=ResourceStatus.PUBLISHED,
            leerjaren_mask=rng.choice([2, 4, 6, 24]),
        )
        for i in range(resources)
    ]
    created = Resource.objects.bulk_create(batch, batch_size=2000)
    through = Resource.worlds.through
    through.objects.bulk_create(
        [through(resource_id=r.pk, term_id=rng.choice(worlds).pk) for r in created], batch_size=5000
    )
    search.index_resources(created)
    if connection.vendor == "postgresql":
        # Planner statistics for the freshly loaded tables, as autovacuum gathers them within
        # a minute of a bulk load in production.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - started

    client = Client()
    client.force_login(user)

    def measure(path_for: Any) -> tuple[list[float], int]:
        times: list[float] = []
        queries = 0
        for i in range(requests):
            path = path_for(i)
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = max(queries, len(captured))
        return times, queries

    measure(lambda i: "/kennisbank/?q=energie")  # warm-up
    search_times, search_queries = measure(
        lambda i: f"/kennisbank/?q={WORDS[i % len(WORDS)]}&leerjaar={1 + i % 4}"
    )
    trivial_times, _ = measure(lambda i: "/healthz")
    return {
        "vendor": connection.vendor,
        "resources": resources,
        "build_seconds": round(build_seconds, 2),
        "search_p50_ms": round(statistics.median(search_times), 1),
        "search_p95_ms": round(percentile(search_times, 95), 1),
        "search_queries_per_request": search_queries,
        "trivial_p50_ms": round(statistics.median(trivial_times), 2),
        "trivial_p95_ms": round(percentile(trivial_times, 95), 2),
        "target_search_p95_ms": 200,
        "meets_target": percentile(search_times, 95) <= 200,
    }


def run_in_subprocess(database_url: str, resources: int, requests: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "LOG_LEVEL": "ERROR"}
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.knowledge",
            "--worker",
            "--resources",
            str(resources),
            "--requests",
            str(requests),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_url() -> tuple[str, str] | None:
    base = os.environ.get("BENCH_POSTGRES_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"bench_knowledge_{uuid.uuid4().hex[:8]}"
    try:
        import psycopg

        with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except Exception:
        return None
    return base.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(name: str) -> None:
    import psycopg

    base = os.environ.get("BENCH_POSTGRES_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(base.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.resources, args.requests)))
        return
    results: dict[str, Any] = {"benchmark": "knowledge_search"}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run_in_subprocess(
            f"sqlite:///{tmp}/bench.sqlite3", args.resources, args.requests
        )
    created = postgres_url()
    if created is None:
        results["postgresql"] = {"skipped": "no PostgreSQL server reachable"}
    else:
        url, name = created
        try:
            results["postgresql"] = run_in_subprocess(url, args.resources, args.requests)
        finally:
            drop_postgres(name)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
