"""Benchmark: the pupil's internship ad list and confirming a placement (with the PDF).

`python -m bench.internships [--ads N] [--requests N]` prints one JSON object: p50/p95 server
time and query count of `/stages/` for a pupil with N published ads (audience filtering, weeks,
distance), a trivial view (`/healthz`) in the same process as the baseline, and the time to
confirm a placement (conditional UPDATE of the place, days, sessions, agreement PDF) and to render
the agreement PDF alone. Runs against a throw-away SQLite database (or `--database-url`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def _timed(client: Any, url: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def worker(ads: int, requests: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    from maakstad.accounts.models import User
    from maakstad.internships import services
    from maakstad.internships.pdf import agreement_pdf
    from maakstad.internships.testing import make_ad, monday
    from maakstad.organisations.models import (
        Guardian,
        Location,
        Membership,
        Organisation,
        Pupil,
        Region,
        Role,
        Term,
    )

    region = Region.objects.create(slug="bench", name="Bench")
    school = Organisation.objects.create(region=region, kind="vmbo", name="Benchschool")
    Location.objects.create(
        organisation=school,
        name="Hoofd",
        street="Straat 1",
        postcode="3011 AB",
        city="Rotterdam",
        latitude=51.92,
        longitude=4.48,
        is_main=True,
    )
    kb = Term.objects.leerwegen().get(code="KB")
    pie = Term.objects.profiles().get(code="PIE")
    pupil_user = User.objects.create_user("leerling@bench.test", "x")
    Pupil.objects.create(
        school=school,
        external_id="1",
        first_name="Bench",
        last_name_initial="B",
        class_name="3K",
        leerjaar=3,
        leerweg=kb,
        profile=pie,
        user=pupil_user,
    )
    Membership.objects.create(user=pupil_user, organisation=school, role=Role.PUPIL)
    mentor = User.objects.create_user("mentor@bench.test", "x")
    Membership.objects.create(user=mentor, organisation=school, role=Role.MENTOR)
    contact = User.objects.create_user("contact@bench.test", "x")
    companies = []
    for n in range(20):
        company = Organisation.objects.create(region=region, kind="company", name=f"Bedrijf {n}")
        Location.objects.create(
            organisation=company,
            name="Werkplaats",
            street=f"Haven {n}",
            postcode="3089 JB",
            city="Rotterdam",
            latitude=51.9 + n / 500,
            longitude=4.4 + n / 500,
            is_main=True,
        )
        Membership.objects.create(user=contact, organisation=company, role=Role.COMPANY_CONTACT)
        companies.append(company)
    weeks = [(monday(k), 2) for k in range(2, 6)]
    created = [
        make_ad(companies[n % 20], title=f"Stage {n}", weeks=weeks, school_kinds_mask=0b1110)
        for n in range(ads)
    ]
    client = Client()
    client.force_login(pupil_user)
    url = "/stages/"
    client.get(url)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        body = client.get(url).content.decode()
    assert body.count('class="card"') == ads, body.count('class="card"')
    list_ms = _timed(client, url, requests)
    base_ms = _timed(client, "/healthz", requests)

    confirm_ms, pdf_ms = [], []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for n, ad in enumerate(created[:10]):
            other = Pupil.objects.create(
                school=school,
                external_id=f"p{n}",
                first_name=f"Leerling{n}",
                class_name="3K",
                leerjaar=3,
                leerweg=kb,
                profile=pie,
            )
            guardian = Guardian.objects.create(pupil=other, name="Ouder", email="o@bench.test")
            week = ad.weeks.order_by("week_start")[0]
            application = services.application_submit(
                ad=ad, pupil=other, motivation="Graag", weeks=[week], actor=mentor
            )
            services.application_mentor_decide(application=application, approve=True, actor=mentor)
            token = services._new_link(application, guardian, "approval", 14)
            services.guardian_decide(token=token, approve=True)
            started = time.perf_counter()
            services.application_company_decide(
                application=application,
                action="accept",
                actor=contact,
                week=week,
                dates=[week.week_start + dt.timedelta(days=i) for i in range(3)],
                starts=dt.time(9),
                ends=dt.time(15),
            )
            confirm_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            agreement_pdf(application)
            pdf_ms.append((time.perf_counter() - started) * 1000)

    return {
        "database": connection.vendor,
        "ads": ads,
        "requests": requests,
        "ad_list_queries": len(queries),
        "ad_list_p50_ms": round(statistics.median(list_ms), 2),
        "ad_list_p95_ms": round(percentile(list_ms, 95), 2),
        "baseline_healthz_p50_ms": round(statistics.median(base_ms), 2),
        "baseline_healthz_p95_ms": round(percentile(base_ms, 95), 2),
        "confirm_placement_p50_ms": round(statistics.median(confirm_ms), 1),
        "agreement_pdf_p50_ms": round(statistics.median(pdf_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.ads, args.requests)))
        return
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.sqlite3",
            "MAAKSTAD_TASKS": "immediate",
            "EMAIL_URL": "console://",
        }
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.internships",
                "--worker",
                "--ads",
                str(args.ads),
                "--requests",
                str(args.requests),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stderr[-4000:])
            raise SystemExit(result.returncode)
        print(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
