"""The everyday workflow: a notebook run directly with papermill checks its own parameters;
paths typed on the command line are taken from the current folder; an output folder holds
one corpus's run and says so; other folders write into runs/<name>/ by default."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import parameters, runfolder
from analysis.cli import main
from analysis.paths import NOTEBOOKS_DIR, PROJECT_ROOT, SEEDS_DIR

PAPERMILL = Path(sys.executable).with_name("papermill")


def papermill(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Notebook 01 run with papermill from a folder outside the project."""
    return subprocess.run([str(PAPERMILL), str(NOTEBOOKS_DIR / "01-corpus.ipynb"), str(tmp_path / "out.ipynb"),
                           *arguments], cwd=tmp_path, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(("arguments", "message"), [
    (["-p", "articles_dri", "elsewhere"], "unknown parameter 'articles_dri'"),
    (["-p", "date_from", "2024/10/20"], "parameter date_from expects a date as YYYY-MM-DD, got '2024/10/20'"),
])
def test_papermill_alone_stops_on_a_bad_parameter(tmp_path, arguments, message):
    done = papermill(tmp_path, *arguments)
    assert done.returncode != 0 and message in done.stdout + done.stderr


def test_papermill_alone_runs_with_good_parameters(tmp_path):
    done = papermill(tmp_path, "-p", "date_from", "2024-10-01", "-p", "parties", "UKR")
    assert done.returncode == 0, done.stderr[-2000:]


def names_after(namespace: dict, **given) -> dict:
    parameters.note_existing_names(namespace)
    namespace.update(given)
    return namespace


def test_the_notebook_check_names_the_parameter():
    with pytest.raises(parameters.ParameterError, match="unknown parameter 'max_row'"):
        parameters.check_notebook(names_after({"In": [], "scratch": 1}, articles_dir="seeds", max_row=5))
    with pytest.raises(parameters.ParameterError, match="max_rows expects a whole number"):
        parameters.check_notebook(names_after({}, max_rows="many"))
    with pytest.raises(parameters.ParameterError, match="is after date_to"):
        parameters.check_notebook(names_after({}, date_from="2024-11-01", date_to="2024-10-01"))
    with pytest.raises(parameters.ParameterError, match="unknown party 'Narnia'"):
        parameters.check_notebook(names_after({}, parties=["Narnia"]))


def test_the_notebook_check_normalises_and_ignores_names_made_before():
    namespace = names_after({"scratch": 1}, parties="Ukraine, KOR", log_scale="no", max_rows=10)
    parameters.check_notebook(namespace)
    assert namespace["parties"] == ["UKR", "KOR"] and namespace["log_scale"] == "linear"


def test_the_notebooks_declare_exactly_the_checked_parameters():
    from analysis.report import notebook_paths, parameter_specs

    specs = parameter_specs(notebook_paths())
    assert {name: spec.type_name for name, spec in specs.items()} == \
        {name: kind.__name__ for name, kind in parameters.PARAMETER_TYPES.items()}


def run_cli(*arguments: str, cwd: Path) -> int:
    here = Path.cwd()
    os.chdir(cwd)
    try:
        return main(list(arguments))
    finally:
        os.chdir(here)


def test_command_line_paths_are_taken_from_the_current_folder(tmp_path):
    shutil.copytree(SEEDS_DIR, tmp_path / "mine")
    assert run_cli("extract", "--articles", "mine", "--out", "rel/out", cwd=tmp_path) == 0
    assert (tmp_path / "rel" / "out" / "tables" / "claims.csv").is_file()
    assert json.loads((tmp_path / "rel" / "out" / "run.json").read_text())["articles"] == str(tmp_path / "mine")


def test_an_output_folder_holds_one_corpus(tmp_path, capsys):
    shutil.copytree(SEEDS_DIR, tmp_path / "first")
    shutil.copytree(SEEDS_DIR, tmp_path / "second")
    (tmp_path / "second" / "000_f0a2ea317c2ec4f5.txt").unlink()
    out = tmp_path / "out"
    assert main(["extract", "--articles", str(tmp_path / "first"), "--out", str(out)]) == 0
    assert main(["extract", "--articles", str(tmp_path / "first"), "--out", str(out)]) == 0  # same corpus: fine
    assert main(["extract", "--articles", str(tmp_path / "second"), "--out", str(out)]) == 2
    assert "holds the run of" in capsys.readouterr().err
    (out / "html").mkdir()
    (out / "html" / "stale.html").write_text("old", encoding="utf-8")
    (out / "keep.txt").write_text("not ours", encoding="utf-8")
    assert main(["extract", "--articles", str(tmp_path / "second"), "--out", str(out), "--force"]) == 0
    assert not (out / "html").exists() and (out / "keep.txt").is_file()  # only a run's own files go
    assert json.loads((out / "run.json").read_text())["articles"] == str(tmp_path / "second")


def test_a_changed_setting_is_another_run(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["extract", "--out", str(out)]) == 0
    assert main(["extract", "--out", str(out), "--max-bytes", "100000"]) == 2
    assert "different max_bytes" in capsys.readouterr().err


def test_force_never_follows_a_link_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.html").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "html").symlink_to(outside, target_is_directory=True)
    assert main(["extract", "--out", str(out), "--force"]) == 0
    assert (outside / "precious.html").is_file() and not (out / "html").exists()


def test_other_folders_default_to_runs():
    assert runfolder.default_out(SEEDS_DIR) == PROJECT_ROOT / "outputs"
    assert runfolder.default_out(Path("/data/my-articles")) == PROJECT_ROOT / "runs" / "my-articles"
    assert "runs/" in (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_lab_starts_and_prints_its_url():
    """As root too (containers): the Makefile adds --allow-root; JupyterLab is stopped again."""
    import signal
    import time

    port = free_port()
    process = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_PORT={port}"], cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            seen.append(line)
            if f"http://127.0.0.1:{port}/lab?token=" in line:
                break
        assert any(f"http://127.0.0.1:{port}/lab?token=" in line for line in seen), "".join(seen)[-3000:]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_project_kernel_is_what_the_notebooks_ask_for():
    import nbformat

    from analysis.report import KERNEL_NAME, ensure_kernel

    assert ensure_kernel() == KERNEL_NAME
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert nbformat.read(path, 4).metadata.kernelspec.name == KERNEL_NAME, path.name


def test_a_full_disk_leaves_the_previous_output_and_one_line(tmp_path, monkeypatch, capsys):
    import errno

    from analysis import tables as tables_module

    out = tmp_path / "out"
    assert main(["extract", "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def full(frame, path, raw=False):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(tables_module, "write_csv", full)
    assert main(["extract", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "previous output is unchanged" in err[0]
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_an_output_folder_inside_the_articles_is_refused(tmp_path, capsys):
    shutil.copytree(SEEDS_DIR, tmp_path / "articles")
    assert main(["extract", "--articles", str(tmp_path / "articles"), "--out", str(tmp_path / "articles" / "o")]) == 2
    assert "inside the articles folder" in capsys.readouterr().err
    assert main(["extract", "--articles", str(tmp_path / "articles"), "--out", str(tmp_path)]) == 2
    assert "holds the articles folder" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == sorted(p.name for p in SEEDS_DIR.iterdir())
