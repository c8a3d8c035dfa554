"""Benchmark: the programme dashboard and the quarterly PDF with 1,000,000 attendance rows.

`DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.monitoring
[--attendance N] [--requests N] [--pdf-requests N]` creates a throw-away PostgreSQL database on
that server, imports the plan, generates schools, companies with locations, pupils, sessions
and attendance rows with `INSERT ... SELECT generate_series` (one statement each), then requests
through the full Django stack, as a programme manager:

- the programme dashboard (`/monitoring/`): every milestone's status with its indicator, all
  indicators, money;
- the quarterly progress report (`/monitoring/rapportage.pdf`, WeasyPrint);
- a trivial view (`/healthz`) in the same run as the baseline.

Prints ONE JSON object with p50/p95 times and queries per request; the database is dropped at
the end. Target: dashboard p95 <= 500 ms.

`seed_bookings()` adds 100,000 bookings (80 % completed) that feed the booking indicators.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

TARGET_DASHBOARD_MS = 500
BOOKINGS_ROWS = 100_000
ATTENDANCE_PER_SESSION = 50


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def seed_bookings(count: int = BOOKINGS_ROWS) -> dict[str, Any]:
    """`count` bookings of the bench region's schools with its companies, Spacebuzz,
    TechMission010 and a technology house (INSERT ... SELECT generate_series), 80 % completed."""
    from decimal import Decimal

    from django.db import connection

    from maakstad.catalogue import activity_types as codes
    from maakstad.catalogue.models import Offer, OfferStatus
    from maakstad.catalogue.services import activity_types_ensure_defaults
    from maakstad.organisations.models import Organisation, Region

    region = Region.objects.get(slug="bench")
    types = {t.code: t for t in activity_types_ensure_defaults(region)}
    partners = Organisation.objects.bulk_create(
        [
            Organisation(region=region, kind="partner", name=name)
            for name in ("Spacebuzz", "TechMission010", "Techniekhuis")
        ]
    )
    offers = [
        Offer(provider=partners[0], activity_type=types[codes.WORKSHOP], title="Spacebuzz"),
        Offer(provider=partners[1], activity_type=types[codes.WORKSHOP], title="TM010"),
        Offer(provider=partners[2], activity_type=types[codes.TECHNIEKLES_PO], title="Les"),
    ]
    for i, company in enumerate(Organisation.objects.filter(region=region, kind="company")[:60]):
        code = codes.GASTLES if i % 2 else codes.BEDRIJFSBEZOEK
        offers.append(Offer(provider=company, activity_type=types[code], title=f"Aanbod {i}"))
    for offer in offers:
        offer.status, offer.cost_amount = OfferStatus.PUBLISHED, Decimal("150")
    Offer.objects.bulk_create(offers)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH o AS (SELECT array_agg(id ORDER BY id) AS id,
                              array_agg(provider_id ORDER BY id) AS provider,
                              array_agg(activity_type_id ORDER BY id) AS type, count(*) AS n
                       FROM catalogue_offer o2
                       WHERE o2.provider_id IN (SELECT id FROM organisations_organisation
                                                WHERE region_id = %(region)s)),
                 s AS (SELECT array_agg(id ORDER BY id) AS id,
                              array_agg(kind ORDER BY id) AS kind, count(*) AS n
                       FROM organisations_organisation
                       WHERE region_id = %(region)s AND kind IN ('po', 'vmbo', 'pro', 'vso'))
            INSERT INTO bookings_booking
                (region_id, offer_id, provider_id, activity_type_id, school_id, class_name,
                 pupils_count, leerjaar, groep, preferred_dates, remarks, status, ask_date,
                 starts_at, ends_at, seats, price_total, amount_due, pricing_note, reason,
                 created_at, updated_at)
            SELECT %(region)s, o.id[1 + i %% o.n], o.provider[1 + i %% o.n], o.type[1 + i %% o.n],
                   s.id[1 + (i / 7) %% s.n], '3K', 20 + i %% 10,
                   CASE WHEN s.kind[1 + (i / 7) %% s.n] = 'po' THEN NULL ELSE 2 END,
                   CASE WHEN s.kind[1 + (i / 7) %% s.n] = 'po' THEN 5 + i %% 4 END,
                   '[]', '',
                   (ARRAY['completed','completed','completed','completed','declined',
                          'cancelled','confirmed','requested','completed','completed'])[1 + i %% 10],
                   date '2025-09-01' + (i %% 600),
                   timestamptz '2025-09-01 09:00+02' + (i %% 600) * interval '1 day',
                   timestamptz '2025-09-01 11:00+02' + (i %% 600) * interval '1 day',
                   0, 150, 0, '', '', now(), now()
            FROM generate_series(0, %(count)s - 1) AS i, o, s
            """,
            {"region": region.pk, "count": count},
        )
        cursor.execute("SELECT count(*) FROM bookings_booking")
        rows = cursor.fetchone()[0]
        cursor.execute("ANALYZE bookings_booking")
    return {"rows": rows}


def _seed(attendance: int) -> dict[str, Any]:
    """The region, the plan, and bulk operational data. Returns the counts."""
    import datetime as dt
    from decimal import Decimal
    from pathlib import Path

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from maakstad.accounts.models import User
    from maakstad.monitoring import services
    from maakstad.monitoring.plan_io import read_plan
    from maakstad.organisations.models import (
        Location,
        Membership,
        Organisation,
        Pupil,
        Region,
        Role,
        SchoolYear,
    )

    region = Region.objects.create(slug="bench", name="Bench")
    programme = services.programme_ensure(
        region=region,
        name="Sterk Techniekonderwijs Bench",
        subsidy_number="STO 24056",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        actor=None,
    )
    data = Path(services.__file__).resolve().parent / "data"
    plan = read_plan(
        (data / "milestones.csv").read_text(encoding="utf-8"),
        (data / "budget.csv").read_text(encoding="utf-8"),
    )
    services.plan_import(programme=programme, report=plan, actor=None)
    subregions = ["noord", "zuid", "capelle-oostland"]
    kinds = ["vmbo"] * 20 + ["pro"] * 4 + ["vso"] * 4 + ["po"] * 12
    schools = Organisation.objects.bulk_create(
        [
            Organisation(
                region=region,
                kind=kind,
                name=f"School {i}",
                subregion=subregions[i % 3],
            )
            for i, kind in enumerate(kinds)
        ]
    )
    companies = Organisation.objects.bulk_create(
        [
            Organisation(
                region=region, kind="company", name=f"Bedrijf {i}", subregion=subregions[i % 3]
            )
            for i in range(300)
        ]
    )
    Location.objects.bulk_create(
        [
            Location(
                organisation=company,
                name="Hoofdvestiging",
                street=f"Haven {i}",
                postcode="3011 AB",
                city="Rotterdam",
                latitude=Decimal("51.85") + Decimal(i % 30) / 200,
                longitude=Decimal("4.35") + Decimal(i // 30) / 50,
                is_main=True,
            )
            for i, company in enumerate(companies)
        ]
    )
    office = Organisation.objects.create(region=region, kind="partner", name="Programmabureau")
    manager = User.objects.create_user("manager@bench.test", "x")
    Membership.objects.create(user=manager, organisation=office, role=Role.PROGRAMME_MANAGER)
    pupils = 60_000
    year = SchoolYear.for_date(dt.date(2025, 10, 1))
    for start in range(0, pupils, 10_000):
        Pupil.objects.bulk_create(
            [
                Pupil(
                    school=schools[i % len(schools)],
                    external_id=f"L{i}",
                    first_name=f"L{i}",
                    class_name="3K",
                    leerjaar=3,
                    school_year=year,
                )
                for i in range(start, min(pupils, start + 10_000))
            ]
        )
    sessions = max(1, attendance // ATTENDANCE_PER_SESSION)
    organisation_type = ContentType.objects.get_for_model(Organisation).pk
    with connection.cursor() as cursor:
        # Sessions at the companies over 2025-2027, one category in three each.
        cursor.execute(
            """
            WITH c AS (SELECT array_agg(o.id ORDER BY o.id) AS org,
                              array_agg(l.id ORDER BY o.id) AS loc, count(*) AS n
                       FROM organisations_organisation o
                       JOIN organisations_location l ON l.organisation_id = o.id
                       WHERE o.kind = 'company' AND o.region_id = %(region)s)
            INSERT INTO attendance_session
                (region_id, category, provider_id, location_id, title, starts_at, ends_at, status,
                 source_type_id, source_id, secret, handle, static_code, created_at, updated_at)
            SELECT %(region)s, (ARRAY['lob', 'internship', 'elective'])[1 + i %% 3],
                   c.org[1 + i %% c.n], c.loc[1 + i %% c.n], 'Sessie ' || i,
                   timestamptz '2025-01-06 09:00+01' + (i %% 900) * interval '1 day'
                       + (i / 900) * interval '5 minutes',
                   timestamptz '2025-01-06 11:00+01' + (i %% 900) * interval '1 day'
                       + (i / 900) * interval '5 minutes',
                   'scheduled', %(ctype)s, c.org[1 + i %% c.n], md5(i::text), 'b' || i, '',
                   now(), now()
            FROM generate_series(0, %(sessions)s - 1) AS i, c
            """,
            {"region": region.pk, "ctype": organisation_type, "sessions": sessions},
        )
        # ATTENDANCE_PER_SESSION different pupils per session; 85 % present with 120 minutes.
        cursor.execute(
            """
            WITH p AS (SELECT array_agg(id ORDER BY id) AS a, count(*) AS n
                       FROM organisations_pupil),
                 s AS (SELECT array_agg(id ORDER BY id) AS a FROM attendance_session
                       WHERE region_id = %(region)s)
            INSERT INTO attendance_attendance (session_id, pupil_id, status, minutes, reason)
            SELECT s.a[1 + i / %(per)s], p.a[1 + (i * 7 + (i / %(per)s) * 13) %% p.n],
                   CASE WHEN i %% 20 < 17 THEN 'present' ELSE 'absent' END,
                   CASE WHEN i %% 20 < 17 THEN 120 END, ''
            FROM generate_series(0, %(rows)s - 1) AS i, p, s
            """,
            {
                "region": region.pk,
                "per": ATTENDANCE_PER_SESSION,
                "rows": sessions * ATTENDANCE_PER_SESSION,
            },
        )
        cursor.execute("SELECT count(*) FROM attendance_attendance")
        rows = cursor.fetchone()[0]
        # A table this old would have been vacuumed by autovacuum: index-only scans need the
        # visibility map.
        cursor.execute("VACUUM ANALYZE")
    return {
        "manager": manager,
        "schools": len(schools),
        "companies": len(companies),
        "pupils": pupils,
        "sessions": sessions,
        "attendance_rows": rows,
    }


def worker(attendance: int, requests: int, pdf_requests: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seeded = _seed(attendance)
    bookings = seed_bookings()
    seed_seconds = time.perf_counter() - started
    client = Client()
    client.force_login(seeded.pop("manager"))

    def timed(path: str, times: int) -> tuple[list[float], int]:
        client.get(path)  # warm-up (templates, connection)
        samples = []
        queries = 0
        for _ in range(times):
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(captured)
        return samples, queries

    dashboard, dashboard_queries = timed("/monitoring/", requests)
    pdf, pdf_queries = timed("/monitoring/rapportage.pdf", pdf_requests)
    trivial, _queries = timed("/healthz", requests)
    return {
        "vendor": connection.vendor,
        **seeded,
        "bookings": bookings,
        "seed_seconds": round(seed_seconds, 1),
        "dashboard_p50_ms": round(statistics.median(dashboard), 1),
        "dashboard_p95_ms": round(percentile(dashboard, 95), 1),
        "dashboard_queries": dashboard_queries,
        "pdf_p50_ms": round(statistics.median(pdf), 1),
        "pdf_p95_ms": round(percentile(pdf, 95), 1),
        "pdf_queries": pdf_queries,
        "trivial_p50_ms": round(statistics.median(trivial), 2),
        "trivial_p95_ms": round(percentile(trivial, 95), 2),
        "requests": requests,
        "pdf_requests": pdf_requests,
        "target_dashboard_p95_ms": TARGET_DASHBOARD_MS,
        "meets_target": percentile(dashboard, 95) <= TARGET_DASHBOARD_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendance", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pdf-requests", type=int, default=10)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.attendance, args.requests, args.pdf_requests)))
        return
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        print(
            json.dumps(
                {
                    "benchmark": "monitoring_dashboard",
                    "error": "set DATABASE_URL to a PostgreSQL server",
                }
            )
        )
        sys.exit(2)
    import psycopg

    name = f"bench_monitoring_{uuid.uuid4().hex[:8]}"
    server = admin_url.rsplit("/", 1)[0]
    admin = admin_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    report: dict[str, Any] = {"benchmark": "monitoring_dashboard"}
    try:
        env = {**os.environ, "DATABASE_URL": f"{server}/{name}", "LOG_LEVEL": "ERROR"}
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.monitoring",
                "--worker",
                "--attendance",
                str(args.attendance),
                "--requests",
                str(args.requests),
                "--pdf-requests",
                str(args.pdf_requests),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.stderr.write(out.stderr)
            report["postgresql"] = {"error": out.stderr.strip().splitlines()[-1:]}
        else:
            report["postgresql"] = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
