"""Run `speechsite serve` as a child process, the way a user does, for tests and benchmarks.

    with ServeProcess(project) as serve:
        page.goto(serve.url + "speeches/…/")

It starts the CLI on a free port (`--port 0`), reads the URL it prints, and on exit sends
SIGINT (Ctrl-C) and waits for the process to end; `output` holds what the command printed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

_URL = re.compile(r"at (http://\S+) \(Ctrl-C to stop\)")


class ServeProcess:
    def __init__(self, project: Path, *extra: str, startup_timeout: float = 300.0) -> None:
        self.project = project
        self.command = [
            sys.executable,
            "-m",
            "generator",
            "-C",
            str(project),
            "serve",
            "--port",
            "0",
            "--quiet",
            *extra,
        ]
        self.startup_timeout = startup_timeout
        self.lines: list[str] = []
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._found = threading.Event()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    @property
    def process(self) -> subprocess.Popen[str]:
        assert self._process is not None, "not started"
        return self._process

    def start(self) -> ServeProcess:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
        self._process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env=env,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._found.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"speechsite serve did not start:\n{self.output}")
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line)
            match = _URL.search(line)
            if match and not self.url:
                self.url = match[1]
                self._found.set()

    def wait_for_output(self, text: str, timeout: float = 30.0) -> None:
        """Until the command printed `text` (e.g. "rebuilt in")."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not printed in {timeout} s:\n{self.output}")
            time.sleep(0.02)

    def stop(self, timeout: float = 60.0) -> int:
        """Ctrl-C, then wait; returns the exit code (killed after `timeout`: -9)."""
        if self._process is None:
            return 0
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._reader is not None:
            self._reader.join(5)
        return self._process.returncode

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
