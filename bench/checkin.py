"""Benchmark: the morning rush — 300 pupils check in at one venue within one minute.

`python -m bench.checkin [--pupils N]` builds a scratch SQLite database (PostgreSQL too when a
server is reachable), then posts every pupil's check-in through the full Django stack, arriving
at random moments within one minute (`--seconds`), and measures a trivial view (`/healthz`) the same way as the in-run baseline. Prints one
JSON object with p50/p95 server time. Target: p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.knowledge import drop_postgres, percentile, postgres_url


def worker(pupils: int, seconds: float) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from maakstad.accounts.models import User
    from maakstad.attendance import codes
    from maakstad.attendance.models import Attendance
    from maakstad.attendance.services import session_schedule
    from maakstad.organisations.models import (
        Location,
        Membership,
        Organisation,
        Pupil,
        Region,
        Role,
    )

    region = Region.objects.create(slug="bench", name="Bench")
    mbo = Organisation.objects.create(region=region, kind="mbo", name="Bench mbo")
    school = Organisation.objects.create(region=region, kind="vmbo", name="Bench vmbo")
    Location.objects.create(
        organisation=mbo, name="Campus", street="Straat 1", postcode="3011 AB", city="Rotterdam"
    )
    users = User.objects.bulk_create(
        [User(email=f"p{i}@bench.test", password="!") for i in range(pupils)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, organisation=school, role=Role.PUPIL) for u in users]
    )
    created = Pupil.objects.bulk_create(
        [
            Pupil(
                school=school,
                external_id=str(i),
                first_name=f"P{i}",
                class_name="3K",
                leerjaar=3,
                user=u,
            )
            for i, u in enumerate(users)
        ]
    )
    start = timezone.now() - dt.timedelta(minutes=5)
    session = session_schedule(
        source=mbo,
        category="elective",
        provider=mbo,
        location=mbo.locations.first(),
        title="Keuzevak",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        pupils=created,
        actor=None,
    )
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)

    import random

    rng = random.Random(1)
    # Arrival times spread over the minute (uniformly at random), as the morning rush comes in.
    arrivals = sorted(rng.uniform(0, seconds) for _ in clients)
    origin = time.perf_counter()

    outcomes: list[str] = []

    def timed(client: Client, path: str, checks_in: bool, at: float = 0.0) -> float:
        delay = origin + at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        started = time.perf_counter()
        if checks_in:
            # The code the venue's screen shows at the moment the pupil scans it (it rotates).
            payload = codes.qr_payload(session, codes.current_step())
            response = client.post(path, {"code": payload}, headers={"Accept": "application/json"})
        else:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        elapsed = (time.perf_counter() - started) * 1000
        if checks_in:
            outcomes.append(response.json()["outcome"])
        return elapsed

    wall = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        checkin_times = list(
            pool.map(
                lambda pair: timed(pair[0], "/aanwezigheid/inchecken/", True, pair[1]),
                zip(clients, arrivals, strict=True),
            )
        )
    wall = time.perf_counter() - wall
    with ThreadPoolExecutor(max_workers=8) as pool:
        trivial = list(pool.map(lambda c: timed(c, "/healthz", False), clients))
    checked_in = Attendance.objects.filter(session=session, checked_in_at__isnull=False).count()
    return {
        "vendor": connection.vendor,
        "pupils": pupils,
        "arrival_window_seconds": seconds,
        "checked_in": checked_in,
        "outcomes": dict(Counter(outcomes)),
        "wall_seconds": round(wall, 2),
        "checkin_p50_ms": round(statistics.median(checkin_times), 1),
        "checkin_p95_ms": round(percentile(checkin_times, 95), 1),
        "trivial_p50_ms": round(statistics.median(trivial), 2),
        "trivial_p95_ms": round(percentile(trivial, 95), 2),
        "target_p95_ms": 300,
        "meets_target": percentile(checkin_times, 95) <= 300 and checked_in == pupils,
    }


def run(database_url: str, pupils: int, seconds: float) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.checkin",
            "--worker",
            "--pupils",
            str(pupils),
            "--seconds",
            str(seconds),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="arrival window (0 = all at once)"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.pupils, args.seconds)))
        return
    report: dict[str, Any] = {"benchmark": "checkin_morning_rush"}
    with tempfile.TemporaryDirectory() as tmp:
        report["sqlite"] = run(f"sqlite:///{tmp}/bench.sqlite3", args.pupils, args.seconds)
    created = postgres_url()
    if created is None:
        report["postgresql"] = {"skipped": "no PostgreSQL server reachable"}
    else:
        url, name = created
        try:
            report["postgresql"] = run(url, args.pupils, args.seconds)
        finally:
            drop_postgres(name)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
