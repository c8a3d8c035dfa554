"""Load test: teachers search the menukaart and ask for a visit, pupils check in, the programme
office opens its dashboard — all at once, against gunicorn with PostgreSQL on this machine.

    pip install -e '.[load]'          # locust, kept out of the test tool-chain
    python -m bench.load [--users 60] [--seconds 60] [--workers 5]

Creates a throw-away PostgreSQL database (`BENCH_POSTGRES_ADMIN`, default the local server),
migrates it, loads the demo region, prepares a live check-in session for 300 demo pupils with
log-ins and finds offers a teacher can ask for, starts gunicorn (`--workers`, default
2 × cores + 1) and runs a locust swarm in a separate process. Prints ONE JSON object: per
request type the number of requests, failures, throughput and p50/p95, next to `/healthz`
(a trivial view) requested by the same swarm from the same server in the same run. The figures
are the steady state: the statistics restart once every user has logged in.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

from bench.knowledge import drop_postgres, postgres_url

PASSWORD = "maakstad-demo"
BENCH_PUPIL_PASSWORD = "bench-pupil"


def prepare(pupils: int) -> dict[str, Any]:
    """Inside the bench database: pupils with log-ins in a live session; askable offers."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from maakstad.accounts.models import User
    from maakstad.attendance.services import session_schedule
    from maakstad.bookings import services as bookings
    from maakstad.catalogue.models import BookingMode, Offer, OfferStatus
    from maakstad.organisations.models import Membership, Organisation, Pupil, Role

    teacher = User.objects.get(email="docent@dehef.demo")
    school = Organisation.objects.get(memberships__user=teacher, memberships__role=Role.TEACHER)
    chosen = list(
        Pupil.objects.filter(school__region=school.region, school__kind="vmbo", user__isnull=True)
        .select_related("school")
        .order_by("pk")[:pupils]
    )
    password = make_password(BENCH_PUPIL_PASSWORD)
    users = User.objects.bulk_create(
        [User(email=f"bench-pupil-{p.pk}@bench.test", password=password) for p in chosen]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=p.school, role=Role.PUPIL)
            for p, u in zip(chosen, users, strict=True)
        ]
    )
    for pupil, user in zip(chosen, users, strict=True):
        pupil.user = user
    Pupil.objects.bulk_update(chosen, ["user"])
    company = Organisation.objects.filter(region=school.region, kind="company").first()
    assert company is not None
    now = timezone.now()
    session = session_schedule(
        source=company,
        category="lob",
        provider=company,
        location=company.locations.first(),
        title="Loadtest: bedrijfsbezoek",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=3),
        pupils=chosen,
        actor=None,
    )
    # Offers the demo teacher can ask for, each with a date the provider accepts (checked by a
    # real request that is rolled back).
    askable = []
    candidates = Offer.objects.filter(
        status=OfferStatus.PUBLISHED,
        booking_mode=BookingMode.ON_REQUEST,
        provider__region=school.region,
        activity_type__code__in=["gastles", "bedrijfsbezoek"],
    ).order_by("pk")[:60]
    for offer in candidates:
        for days in range(21, 60):
            day = timezone.localdate() + dt.timedelta(days=days)
            try:
                with transaction.atomic():
                    bookings.booking_request(
                        offer=offer,
                        school=school,
                        actor=teacher,
                        class_name="bench-probe",
                        pupils_count=offer.min_pupils or 20,
                        leerjaar=3,
                        preferred_dates=[day],
                    )
                    raise _Rollback
            except _Rollback:
                askable.append(
                    {"offer": offer.pk, "date": day.isoformat(), "pupils": offer.min_pupils or 20}
                )
                break
            except ValidationError:
                continue
        if len(askable) >= 20:
            break
    return {
        "static_code": session.static_code,
        "pupils": [u.email for u in users],
        "askable": askable,
    }


class _Rollback(Exception):
    pass


def swarm(host: str, plan: dict[str, Any], users: int, seconds: int) -> dict[str, Any]:
    """The locust scenario, run in its own process (locust patches the standard library)."""
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    def log_in(user: HttpUser, email: str, password: str) -> None:
        user.client.get("/account/inloggen/", name="login page")
        token = user.client.cookies.get("csrftoken", "")
        user.client.post(
            "/account/inloggen/",
            {"username": email, "password": password, "csrfmiddlewaretoken": token},
            name="log in",
        )

    queries = [
        "",
        "?q=lassen",
        "?soort=gastles",
        "?q=energie&km=10",
        "?soort=bedrijfsbezoek&schoolsoort=vmbo&leerjaar=3",
    ]

    class Teacher(HttpUser):
        weight = 5
        wait_time = between(1, 3)

        def on_start(self) -> None:
            log_in(self, "docent@dehef.demo", PASSWORD)

        @task(6)
        def search(self) -> None:
            self.client.get("/menukaart/" + random.choice(queries), name="menukaart search")

        @task(2)
        def map_data(self) -> None:
            self.client.get("/menukaart/kaart.geojson", name="menukaart geojson")

        @task(1)
        def ask(self) -> None:
            if not plan["askable"]:
                return
            pick = random.choice(plan["askable"])
            url = f"/boekingen/aanvragen/{pick['offer']}/"
            self.client.get(url, name="request page")
            token = self.client.cookies.get("csrftoken", "")
            self.client.post(
                url,
                {
                    "csrfmiddlewaretoken": token,
                    "class_name": f"L{random.randrange(10**8)}",
                    "pupils_count": pick["pupils"],
                    "leerjaar": 3,
                    "date_1": pick["date"],
                },
                name="request (book)",
            )

    class Pupil(HttpUser):
        weight = 5
        wait_time = between(2, 6)

        def on_start(self) -> None:
            log_in(self, random.choice(plan["pupils"]), BENCH_PUPIL_PASSWORD)

        @task
        def check_in(self) -> None:
            token = self.client.cookies.get("csrftoken", "")
            self.client.post(
                "/aanwezigheid/inchecken/",
                {"code": plan["static_code"], "csrfmiddlewaretoken": token},
                headers={"Accept": "application/json"},
                name="check-in",
            )

    class Office(HttpUser):
        weight = 1
        wait_time = between(3, 8)

        def on_start(self) -> None:
            log_in(self, "programma@techtown.demo", PASSWORD)

        @task
        def dashboard(self) -> None:
            self.client.get("/monitoring/", name="programme dashboard")

    class Baseline(HttpUser):
        weight = 1
        wait_time = between(1, 2)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name="trivial view (/healthz)")

    env = Environment(user_classes=[Teacher, Pupil, Office, Baseline], host=host)
    runner = env.create_local_runner()
    spawn_rate = max(1, users // 5)
    runner.start(users, spawn_rate=spawn_rate)
    # Measure the steady state: every user spawned and logged in (password hashing is slow on
    # purpose and would otherwise dominate the first seconds).
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        gevent.sleep(1)
        counts = runner.user_classes_count
        logging_in = sum(n for name, n in counts.items() if name != "Baseline")
        logins = env.stats.get("log in", "POST").num_requests
        if runner.user_count >= users and logins >= logging_in:
            break
    gevent.sleep(2)
    env.stats.reset_all()
    gevent.sleep(seconds)
    runner.quit()
    out: dict[str, Any] = {}
    for entry in env.stats.entries.values():
        if entry.num_requests == 0:
            continue
        out[entry.name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / seconds, 2),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
    total = env.stats.total
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "throughput_rps": round(total.num_requests / seconds, 1),
        "per_request_type": out,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--swarm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.pupils)))
        return
    if args.swarm:
        host, plan = json.loads(args.swarm)
        print(json.dumps(swarm(host, plan, args.users, args.seconds)))
        return
    created = postgres_url()
    if created is None:
        print(json.dumps({"benchmark": "load", "skipped": "no PostgreSQL server reachable"}))
        return
    url, name = created
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-load-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MAAKSTAD_LOGIN_ATTEMPTS": "1000000",
        "MAAKSTAD_TASKS": "immediate",
    }
    python = sys.executable
    server = None
    try:
        started = time.perf_counter()
        for command in (["migrate", "-v0"], ["load_demo", "--pupils", "1500", "--quiet-logins"]):
            subprocess.run(
                [python, "manage.py", *command], env=env, check=True, stdout=subprocess.DEVNULL
            )
        plan = json.loads(
            subprocess.run(
                [python, "-m", "bench.load", "--prepare", "--pupils", str(args.pupils)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                os.path.join(os.path.dirname(python), "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        _wait_for(f"{host}/healthz")
        setup_seconds = time.perf_counter() - started
        result = subprocess.run(
            [
                python,
                "-m",
                "bench.load",
                "--swarm",
                json.dumps([host, plan]),
                "--users",
                str(args.users),
                "--seconds",
                str(args.seconds),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        stats = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            json.dumps(
                {
                    "benchmark": "load",
                    "database": "postgresql",
                    "server": f"gunicorn, {args.workers} workers",
                    "users": args.users,
                    "seconds": args.seconds,
                    "setup_seconds": round(setup_seconds, 1),
                    "askable_offers": len(plan["askable"]),
                    "pupils_with_login": len(plan["pupils"]),
                    **stats,
                },
                indent=2,
            )
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_postgres(name)


if __name__ == "__main__":
    main()
