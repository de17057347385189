"""Dask as the engine beyond one machine: a real scheduler with two workers started with the
`dask` command line, and a LocalCluster, give the same bytes as a local run."""

from __future__ import annotations

import filecmp
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import cluster
from analysis.extract import worker_view
from analysis.paths import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "coverage"
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler():
    """A dask scheduler and two single-threaded worker processes on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                client = Client(address, timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        processes.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        client.wait_for_workers(2, timeout=60)
        client.close()
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def extract(out: Path, *options: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "analysis", "extract", "--articles", str(CORPUS), "--out", str(out),
                           "--no-cache", *options], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def same_outputs(first: Path, second: Path) -> None:
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.name != "run.json")
    assert files
    for name in files:
        assert filecmp.cmp(first / name, second / name, shallow=False), name


@pytest.fixture(scope="module")
def local_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    extract(out)
    return out


def test_a_scheduler_and_two_workers_give_the_local_bytes(scheduler, local_run, tmp_path):
    from distributed import Client

    extract(tmp_path / "out", "--scheduler", scheduler)
    same_outputs(local_run, tmp_path / "out")
    with Client(scheduler) as client:  # the work ran there, not here
        assert "extract_batch" in client.run_on_scheduler(lambda dask_scheduler: set(dask_scheduler.task_prefixes))


def test_a_local_cluster_gives_the_local_bytes(local_run, tmp_path):
    extract(tmp_path / "out", "--scheduler", "local")
    same_outputs(local_run, tmp_path / "out")


def test_workers_sent_the_bytes_give_the_same_rows(scheduler):
    from distributed import Client

    from analysis.extract import extract_batches
    from analysis.load import plan_folder

    jobs = plan_folder(CORPUS).jobs
    here = extract_batches(jobs, None, None, None, rows=True)
    with Client(scheduler) as client:
        for send_bytes in (True, False):
            there = extract_batches(jobs, None, None, None, rows=True, client=client, send_bytes=send_bytes)
            assert [a.claim_rows for a in there] == [a.claim_rows for a in here]
            assert [a.estimate_rows for a in there] == [a.estimate_rows for a in here]


def test_a_worker_with_other_rules_stops_the_run(scheduler):
    from distributed import Client

    with Client(scheduler) as client, pytest.raises(cluster.ClusterError) as raised:
        cluster.check_workers(client, "0" * 64, worker_view, None, None, {})
    assert "runs other code or vocabularies than this machine" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_an_unreachable_scheduler_is_one_line(monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 2)
    with pytest.raises(cluster.ClusterError) as raised:
        cluster.connect(f"tcp://127.0.0.1:{free_port()}")
    assert "cannot reach the scheduler" in str(raised.value) and "\n" not in str(raised.value)


def test_the_report_extracts_on_the_cluster(scheduler, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(PROJECT_ROOT / "seeds", articles)
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--articles", str(articles), "--out",
                           str(tmp_path / "out"), "--no-cache", "--no-screenshot", "--scheduler", scheduler],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    committed = PROJECT_ROOT / "outputs" / "tables"
    for name in ("claims.csv", "estimates.csv"):
        assert (tmp_path / "out" / "tables" / name).read_bytes() == (committed / name).read_bytes()
