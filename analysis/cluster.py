"""Dask as the engine beyond one machine: the per-article work of `extract` and `report` sent
to a dask.distributed cluster (`--scheduler tcp://host:8786`, or `--scheduler local` for a
LocalCluster on this machine).

The cluster gets the same batches the local process pool would (extract.Batch); results come
back in batch order, so the tables are byte for byte those of a local run. Before any work is
sent, every worker is asked (`probe`) what it would read the articles with: a worker whose
rules (vocabulary and topic folders, the package's code: cache.fingerprint) differ from this
machine's would give other tables, and the run stops with one line naming it (the probe is
extract.worker_view). Workers read the
article files themselves when every one of them sees the files as this machine does (a shared
filesystem); otherwise this machine reads the files and sends their bytes.

dask and distributed are imported only when a scheduler is given: a local run pays nothing."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LOCAL = "local"
CONNECT_TIMEOUT_S = 20


class ClusterError(ValueError):
    """The scheduler cannot be used; the message is one line."""


@dataclass(frozen=True)
class WorkerView:
    """What one worker sees: the fingerprint of its rules and whether it reads the sample
    files as this machine does."""

    fingerprint: str
    reads_files: bool


def file_digest(path: str) -> str:
    """sha256 of a file's bytes as this process reads them ("" when it cannot)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def connect(address: str) -> object:
    """A dask.distributed Client for `address` ("local": a LocalCluster of one single-threaded
    worker process per core on 127.0.0.1, closed with the client). ClusterError when the
    scheduler cannot be reached or dask is not installed."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:  # pragma: no cover - pinned in requirements.lock
        raise ClusterError(f"--scheduler needs dask.distributed ({error})") from None
    if address == LOCAL:
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None, silence_logs=50)
        client = Client(cluster)
        client._cluster_owned = cluster  # closed by close()
        return client
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"--scheduler {address}: cannot reach the scheduler ({error})") from None


def close(client: object) -> None:
    """Close the client, and the LocalCluster it started."""
    cluster = getattr(client, "_cluster_owned", None)
    client.close()  # type: ignore[attr-defined]
    if cluster is not None:
        cluster.close()


def check_workers(client: object, fingerprint: str, probe: Callable[..., WorkerView], *arguments: object) -> bool:
    """Ask every worker what it sees (`probe(*arguments)` run on each: extract.worker_view).
    ClusterError when there is no worker or one reads with other rules than `fingerprint`;
    returns True when every worker reads the sample files as this machine does (they can be
    sent paths), False when they must be sent the bytes."""
    views: dict[str, WorkerView] = client.run(probe, *arguments)  # type: ignore[attr-defined]
    if not views:
        raise ClusterError("the scheduler has no workers: start some with `dask worker <scheduler address>`")
    for worker, view in sorted(views.items()):
        if view.fingerprint != fingerprint:
            why = "cannot read the vocabulary or topic folders" if not view.fingerprint else \
                "runs other code or vocabularies than this machine"
            raise ClusterError(f"worker {worker} {why}: its tables would differ (install the same version of the "
                               "project there, or share the folders)")
    return all(view.reads_files for view in views.values())


def run_on_cluster(client: object, func: Callable, batches: list,
                   progress: Callable[[int, int], None] | None = None, sizes: list[int] | None = None) -> list:
    """func(batch) for every batch on the cluster; results in batch order. Each batch is its
    own task (pure=False: the same batch twice is run twice, never taken from the other)."""
    from distributed import as_completed

    futures = client.map(func, batches, pure=False)  # type: ignore[attr-defined]
    index = {future.key: i for i, future in enumerate(futures)}
    results: list = [None] * len(batches)
    done = 0
    total = sum(sizes) if sizes else 0
    try:
        for future in as_completed(futures):
            position = index[future.key]
            results[position] = future.result()
            if progress and sizes:
                done += sizes[position]
                progress(done, total)
    finally:
        for future in futures:
            future.release()
    return results
