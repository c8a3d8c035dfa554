"""The production task queues, end to end: enqueue a real task, run the worker, read the result.

Each queue runs in its own processes (the app and the worker), as in production, against a
throw-away SQLite database; the Redis queue uses the local Redis under a key prefix of its own.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

ENQUEUE = "from maakstad.bookings.tasks import bookings_housekeeping as t; print(t.enqueue().id)"
RESULT = (
    "import json, os; from django.tasks import default_task_backend as b; "
    "r = b.get_result(os.environ['TASK_ID']); "
    "print(json.dumps([r.status, r.return_value if r.is_finished else None]))"
)


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queue") / "queue.sqlite3"
    manage({"DATABASE_URL": f"sqlite:///{path}"}, "migrate", "-v0")
    return path


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    if not redis_running():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"maakstad_test_{uuid.uuid4().hex[:12]}"
    yield prefix
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def shell(env: dict[str, str], code: str) -> str:
    """Run `code` in `manage.py shell`; its last printed line."""
    return manage(env, "shell", "--no-imports", "-c", code).splitlines()[-1]


def run_through_queue(env: dict[str, str], *worker: str) -> list[object]:
    task_id = shell(env, ENQUEUE)
    env = {**env, "TASK_ID": task_id}
    before = shell(env, RESULT)
    assert before.startswith('["READY"'), before
    manage(env, *worker)
    return list(json.loads(shell(env, RESULT)))


def test_the_redis_queue_runs_a_task_in_the_worker(database: Path, redis_prefix: str) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "MAAKSTAD_TASKS": "redis",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MAAKSTAD_TASKS_PREFIX": redis_prefix,
    }
    status, value = run_through_queue(env, "run_redis_tasks")
    assert status == "SUCCESSFUL"
    assert isinstance(value, dict) and set(value) >= {"expired", "reminded"}


def test_the_database_queue_runs_a_task_in_the_worker(database: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{database}", "MAAKSTAD_TASKS": "database"}
    status, value = run_through_queue(env, "db_worker", "--batch", "--no-startup-delay")
    assert status == "SUCCESSFUL"
    assert isinstance(value, dict) and set(value) >= {"expired", "reminded"}
