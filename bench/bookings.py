"""Benchmark: 500 classes race for the last 20 seats, and the provider's request queue at 10,000.

`DATABASE_URL=postgres://user@host:port/db python -m bench.bookings` creates a throw-away
database on that PostgreSQL server (the database named in the URL is only used to issue CREATE
and DROP DATABASE), migrates it in a subprocess, and drops it afterwards. It prints one JSON
object:

- the race: `--attempts` booking requests (each a different class, from 25 schools) for one
  moment of `--seats` groups, run by `--workers` threads with their own database connections that
  start together at a barrier: `seats_held` (by requests: a request holds its seats from the
  moment it is made, confirmation changes nothing about seats), `waiting`, `errors`, p50/p95 of one
  `services.booking_request` call, plus the p95 of the same call without contention;
- the provider's request queue (`/boekingen/?weergave=aanbieder&status=`, all statuses) as the
  company contact with `--bookings` bookings in the database, next to a trivial view
  (`/healthz`) measured the same way in the same run as the baseline, with queries per request.

Targets: no oversell and no errors; queue page p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlparse, urlunparse

from bench.knowledge import percentile

TARGET_QUEUE_MS = 300
SCHOOLS = 25


def worker(args: argparse.Namespace) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime as dt
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from maakstad.accounts.models import User
    from maakstad.bookings import services
    from maakstad.bookings.models import Booking, Slot, SlotUnit, Status
    from maakstad.catalogue.models import BookingMode, Offer, OfferStatus
    from maakstad.catalogue.services import activity_types_ensure_defaults
    from maakstad.organisations.models import Membership, Organisation, Region, Role

    rng = random.Random(7)
    region = Region.objects.create(slug="bench", name="Bench")
    activity_type = activity_types_ensure_defaults(region)[0]
    provider = Organisation.objects.create(region=region, kind="company", name="Bench bedrijf")
    contact = User.objects.create_user("contact@bench.test", "x")
    Membership.objects.create(user=contact, organisation=provider, role=Role.COMPANY_CONTACT)
    schools = Organisation.objects.bulk_create(
        [Organisation(region=region, kind="vmbo", name=f"School {i}") for i in range(SCHOOLS)]
    )
    teachers = User.objects.bulk_create(
        [User(email=f"docent{i}@bench.test", password="!") for i in range(SCHOOLS)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=t, organisation=s, role=Role.TEACHER)
            for s, t in zip(schools, teachers, strict=True)
        ]
    )
    now = timezone.now()
    offers = Offer.objects.bulk_create(
        [
            Offer(
                provider=provider,
                activity_type=activity_type,
                title=f"Werkplaats {i}",
                summary="Een kijkje in de techniek.",
                booking_mode=BookingMode.SCHEDULED,
                min_pupils=5,
                max_pupils=30,
                duration_minutes=120,
                status=OfferStatus.PUBLISHED,
                published_at=now,
                confirmed_at=now,
            )
            for i in range(20)
        ]
    )
    day = now.replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=21)

    def slot(offer: Offer, capacity: int, days: int = 0) -> Slot:
        starts = day + dt.timedelta(days=days)
        return services.slot_save(
            offer=offer,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=capacity,
            unit=SlotUnit.GROUPS,
            actor=None,
        )

    def ask(slot: Slot, school_index: int, class_name: str) -> tuple[str, float]:
        started = time.perf_counter()
        booking = services.booking_request(
            offer=slot.offer,
            school=schools[school_index],
            actor=teachers[school_index],
            class_name=class_name,
            pupils_count=25,
            leerjaar=3,
            slot=slot,
        )
        return booking.status, (time.perf_counter() - started) * 1000

    # Without contention first: one attempt at a time on a roomy moment.
    roomy = slot(offers[1], capacity=1000, days=1)
    alone = [ask(roomy, i % SCHOOLS, f"A{i}")[1] for i in range(50)]

    # The race: every attempt is another class; the workers start together at a barrier.
    race = slot(offers[0], capacity=args.seats)
    attempts = [(i % SCHOOLS, f"K{i // SCHOOLS}") for i in range(args.attempts)]
    outcomes: list[tuple[str, float]] = []
    errors: list[str] = []
    guard = threading.Lock()
    barrier = threading.Barrier(args.workers)
    cursor = iter(attempts)

    def run_worker() -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            while True:
                with guard:
                    attempt = next(cursor, None)
                if attempt is None:
                    return
                try:
                    outcome = ask(race, *attempt)
                except Exception as exc:  # counted and reported, never raised
                    with guard:
                        errors.append(f"{type(exc).__name__}: {exc}")
                else:
                    with guard:
                        outcomes.append(outcome)
        finally:
            connection.close()

    wall = time.perf_counter()
    threads = [threading.Thread(target=run_worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    race.refresh_from_db()
    held = Booking.objects.filter(slot=race, status=Status.REQUESTED)
    seats_held = held.aggregate(seats=Sum("seats"))["seats"] or 0
    attempt_times = [ms for _status, ms in outcomes]

    # The provider's queue: fill the register up to `--bookings` asks across offers and schools.
    statuses = [s.value for s in Status]
    existing = Booking.objects.count()
    Booking.objects.bulk_create(
        [
            Booking(
                region=region,
                offer=offers[i % len(offers)],
                provider=provider,
                activity_type=activity_type,
                school=schools[i % SCHOOLS],
                class_name=f"B{i}",
                pupils_count=20 + i % 10,
                leerjaar=3,
                status=rng.choice(statuses),
                ask_date=(now + dt.timedelta(days=rng.randint(-200, 200))).date(),
                starts_at=now + dt.timedelta(days=rng.randint(-200, 200)) if i % 3 else None,
            )
            for i in range(max(args.bookings - existing, 0))
        ],
        batch_size=2000,
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    bookings_total = Booking.objects.count()

    client = Client()
    client.force_login(contact)
    queue_url = reverse("bookings:list") + "?weergave=aanbieder&status="

    def measure(path: str) -> tuple[list[float], int, int]:
        times: list[float] = []
        queries = 0
        size = 0
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = max(queries, len(captured))
            size = max(size, len(response.content))
        return times, queries, size

    measure(queue_url)  # warm-up
    queue_times, queue_queries, queue_bytes = measure(queue_url)
    trivial_times, _, _ = measure("/healthz")
    queue_p95 = percentile(queue_times, 95)
    return {
        "vendor": connection.vendor,
        "race": {
            "attempts": args.attempts,
            "workers": args.workers,
            "concurrency": "threads, one connection each, started at a barrier",
            "seats": args.seats,
            "unit": "groups",
            "seats_held": seats_held,
            "classes_holding_seats": held.count(),
            "seats_taken": race.seats_taken,
            "waiting": Booking.objects.filter(slot=race, status=Status.WAITING).count(),
            "errors": len(errors),
            "first_error": errors[0] if errors else None,
            "oversold": race.seats_taken > race.capacity or seats_held > race.capacity,
            "wall_seconds": round(wall, 2),
            "attempt_p50_ms": round(statistics.median(attempt_times), 1),
            "p95_ms": round(percentile(attempt_times, 95), 1),
            "uncontended_p50_ms": round(statistics.median(alone), 1),
            "uncontended_p95_ms": round(percentile(alone, 95), 1),
        },
        "queue": {
            "bookings": bookings_total,
            "requests": args.requests,
            "url": queue_url,
            "p50_ms": round(statistics.median(queue_times), 1),
            "p95_ms": round(queue_p95, 1),
            "queries_per_request": queue_queries,
            "max_bytes": queue_bytes,
            "trivial_p50_ms": round(statistics.median(trivial_times), 2),
            "trivial_p95_ms": round(percentile(trivial_times, 95), 2),
            "target_p95_ms": TARGET_QUEUE_MS,
        },
        "meets_targets": not errors
        and seats_held == args.seats == race.seats_taken
        and queue_p95 <= TARGET_QUEUE_MS,
    }


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    parsed = urlparse(url)
    conninfo = urlunparse(parsed._replace(scheme="postgresql", query=""))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    server = os.environ.get("DATABASE_URL", "")
    if urlparse(server).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("bench.bookings needs DATABASE_URL=postgres://user@host:port/db (PostgreSQL)")
    name = f"bench_bookings_{uuid.uuid4().hex[:8]}"
    _admin(server, f"CREATE DATABASE {name}")
    try:
        env = {
            **os.environ,
            "DATABASE_URL": _with_database(server, name),
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
            "EMAIL_URL": "locmem://",
        }
        options = ["--attempts", str(args.attempts), "--seats", str(args.seats)]
        options += ["--workers", str(args.workers), "--bookings", str(args.bookings)]
        options += ["--requests", str(args.requests)]
        done = subprocess.run(
            [sys.executable, "-m", "bench.bookings", "--worker", *options],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.stderr.write(done.stderr)
            sys.exit(f"bench.bookings worker failed with exit code {done.returncode}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(json.dumps({"benchmark": "bookings_race_and_queue", **result}, indent=2))


if __name__ == "__main__":
    main()
