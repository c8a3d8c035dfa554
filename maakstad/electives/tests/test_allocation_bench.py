import json
import subprocess
import sys


def test_benchmark_runs_and_the_optimum_matches_the_integer_program() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.allocation", "--quick"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report = json.loads(out)["quick"]
    assert report["milp_check"]["optimum_matches"] is True
    assert all(m["violations"] == 0 for m in report["mechanisms"].values())
    assert report["optimum_places_more_than_lottery"] >= 0
