"""The two ways to install (conda's environment.yml, pip's requirements.lock) pin the same versions."""

import re

import yaml

from analysis.paths import PROJECT_ROOT


def _lock() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _conda() -> dict[str, str]:
    spec = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pins = {}
    for entry in spec["dependencies"]:
        if isinstance(entry, str) and "=" in entry:
            name, version = entry.split("=", 1)
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_conda_pins_match_the_pip_lock():
    lock, conda = _lock(), _conda()
    conda.pop("python")
    mismatched = {name: (version, lock.get(name)) for name, version in conda.items() if lock.get(name) != version}
    assert not mismatched, f"environment.yml vs requirements.lock (conda, pip): {mismatched}"


def test_core_packages_are_pinned_in_both():
    core = {"pandas", "matplotlib", "papermill", "nbval", "nbconvert", "ipykernel", "jupyterlab", "pytest"}
    assert core <= set(_lock()), core - set(_lock())
    assert core <= set(_conda()), core - set(_conda())


def test_conda_file_uses_conda_forge_and_python_311():
    spec = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert spec["channels"] == ["conda-forge"]
    assert "python=3.11" in spec["dependencies"]
