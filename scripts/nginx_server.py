"""Serve a built site with a real nginx on 127.0.0.1, as a static host does: the same
`location` block the README gives for publishing on an nginx server, range requests included.

nginx runs as the current user from a configuration written into a temporary folder (its pid
file, logs and temporary files too), on a free port. Used by the nginx end-to-end test
(tests/deploy/test_nginx_e2e.py) and by the search benchmark, which times the browser against
the server a published archive would have rather than Python's.

    with NginxServer(Path("site"), "/archive/") as server:
        print(server.url)  # http://127.0.0.1:PORT/archive/
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

NGINX_CONF = """\
{user}daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html; text/css css; text/javascript js; application/json json;
        application/xml xml; image/svg+xml svg; text/plain txt; image/png png;
        application/octet-stream bin;
    }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/css text/javascript application/json application/xml image/svg+xml;
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        absolute_redirect off;
        location {sub_path} {{
            alias {site}/;
            index index.html;
            error_page 404 {sub_path}404.html;
            gzip on;
            gzip_types text/css text/javascript application/json application/xml image/svg+xml text/plain;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NginxServer:
    """nginx serving `site` under `sub_path`; `url` is the site's root URL. RuntimeError when
    nginx is missing or does not start (with its error log)."""

    def __init__(self, site: Path, sub_path: str = "/") -> None:
        self.site = Path(site).resolve()
        self.sub_path = sub_path
        self.url = ""
        self._run = Path(tempfile.mkdtemp(prefix="speechsite-nginx-"))
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NginxServer:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is missing (Debian package nginx-light)")
        # As root, nginx would hand the requests to `nobody`, who may not enter the site's folder.
        user = ""
        if os.geteuid() == 0:
            user = (
                f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};\n"
            )
        run = self._run
        for _ in range(3):  # the free port may be taken between the probe and nginx's bind
            port = free_port()
            conf = run / "nginx.conf"
            conf.write_text(
                NGINX_CONF.format(
                    user=user, run=run, port=port, sub_path=self.sub_path, site=self.site
                )
            )
            process = subprocess.Popen(
                [binary, "-p", f"{run}/", "-c", str(conf), "-e", str(run / "error.log")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            if _wait_for(port, process):
                self._process = process
                self.url = f"http://127.0.0.1:{port}{self.sub_path}"
                return self
        log = (run / "error.log").read_text() if (run / "error.log").exists() else ""
        shutil.rmtree(run, ignore_errors=True)
        raise RuntimeError(f"nginx did not start: {log}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
        shutil.rmtree(self._run, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    process.kill()
    return False
