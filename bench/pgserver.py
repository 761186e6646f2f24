"""A throwaway PostgreSQL server for tests and benchmarks: `with throwaway_postgres() as server`.

It runs the machine's own PostgreSQL (Debian's `postgresql` package; `.ci/run` installs it)
from a temporary folder, on 127.0.0.1 and a free port, with trust authentication and one
database, `spotter`. PostgreSQL refuses to run as root, so under root (as in CI) the server
runs as `nobody`. `python -m bench.pgserver` starts one and prints its URL until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

USER = "spotter"
DATABASE = "spotter"
UNPRIVILEGED = "nobody"
START_TIMEOUT = 60.0


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    for folder in folders:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def unavailable() -> str | None:
    """Why no throwaway server can start here, or None when one can."""
    if binaries() is None:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root and runuser is missing: PostgreSQL refuses to run as root"
    return None


class Server:
    """One running throwaway server; `stop()` and `start()` again keep its data."""

    def __init__(self, folder: Path, bin_dir: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.url = f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def initialise(self) -> None:
        # The server's files belong to whoever runs it; as root, that is `nobody`.
        os.chmod(self.folder, 0o777)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            str(int(START_TIMEOUT)),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """`mode`: fast (clients cut off, a clean shutdown) or immediate (like a crash)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=self.folder, timeout=START_TIMEOUT
        )
        if check and done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{log[-2000:]}"
            )


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Server]:
    """A fresh server for the block; its folder is removed afterwards."""
    reason = unavailable()
    if reason is not None:
        raise RuntimeError(reason)
    bin_dir = binaries()
    assert bin_dir is not None
    with tempfile.TemporaryDirectory(prefix="spotter-pg-") as folder:
        server = Server(Path(folder), bin_dir)
        try:
            server.initialise()
            yield server
        finally:
            server.stop("immediate")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _version(folder: str) -> int:
    name = Path(folder).parent.name
    return int(name) if name.isdigit() else 0


def main() -> None:
    with throwaway_postgres() as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
