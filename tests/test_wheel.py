"""The built wheel runs anywhere: installed in a fresh virtualenv, `careers-kg validate`, `query` and `serve`
work from a folder outside the checkout, reading the ontology, data and queries the wheel carries and keeping
the build cache in the user's cache folder."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.stores.processes import free_port, stop_process

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtualenv with the project's wheel (and its dependencies from the package index) installed."""
    work = tmp_path_factory.mktemp("wheel")
    wheels = work / "dist"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("careers_kg-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    home = work / "home"
    elsewhere = work / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERS_KG_") and k != "PYTHONPATH"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    # the wheel's own seed file: the default data also holds the OEWS release, which takes minutes to build
    (seed,) = venv.glob("lib/python3*/site-packages/kg/share/data/careers.ttl")
    assert (seed.parent / "oews-2025" / "oews-2025.nt.gz").is_file()  # the release travels in the wheel
    env["CAREERS_KG_DATA"] = str(seed)
    return venv / "bin" / "careers-kg", elsewhere, env, home


def run(installed, *argv: str) -> subprocess.CompletedProcess:
    exe, cwd, env, _ = installed
    return subprocess.run([str(exe), *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_validate_runs_from_any_folder_on_the_wheels_own_files(installed):
    done = run(installed, "validate")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("data conforms: ")


def test_query_answers_from_the_wheels_catalogue_and_caches_in_the_user_folder(installed):
    done = run(installed, "query", "professions", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert "Medical Coder" in {row["professionLabel"] for row in rows}
    home = installed[3]
    assert any((home / ".cache" / "careers-kg").iterdir())
    assert not any(installed[1].iterdir())  # nothing written where it ran


def test_serve_answers_healthz(installed):
    exe, cwd, env, _ = installed
    port = free_port()
    log = open(cwd.parent / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "1"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert proc.poll() is None, (cwd.parent / "serve.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the installed server did not answer /healthz"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/id/medical-coder.ttl", timeout=10) as reply:
            assert reply.status == 200
            assert b"Medical Coder" in reply.read()
    finally:
        stop_process(proc)
        log.close()
