"""nginx's configuration for the cluster rig, after docs/nginx.conf.example.

The same limits and forwarded headers as the example, on 127.0.0.1 only, without TLS,
and with a round-robin upstream (nginx's default: each request goes to the next server,
so one person's requests, an upload's chunks included, land on both servers in turn).
A second port serves the first app server alone, to measure one server against two.
``Host`` is passed with its port (``$http_host``): behind a port other than 80, Django's
CSRF check compares a browser's ``Origin`` with it.
"""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE = """\
worker_processes 2;
{user}
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    log_format cluster '$status|$upstream_addr|$request_method $uri|$request_time';
    access_log {prefix}/access.log cluster;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;

    upstream gongchuang {{
{servers}
    }}
    upstream gongchuang_one {{
        server 127.0.0.1:{first};
    }}
{server_both}
{server_one}
}}
"""

SERVER = """\
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        client_max_body_size 12m;          # forms and ordinary uploads
        client_body_timeout 60s;
        proxy_read_timeout 120s;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto $scheme;

        location /works/uploads/ {{         # resumable chunks
            client_max_body_size 16m;
            proxy_pass http://{upstream};
        }}
        location / {{
            proxy_pass http://{upstream};
        }}
    }}"""


def write_config(prefix: Path, *, port: int, port_one: int, upstreams: list[int]) -> Path:
    """Write ``<prefix>/nginx.conf`` (and the temp directories) and return its path."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        # nginx started as root runs its workers as nobody: they write request bodies here.
        user = "user nobody nogroup;"
        for path in [prefix / "tmp", *(prefix / "tmp").iterdir()]:
            os.chown(path, _uid("nobody"), -1)
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in upstreams
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        TEMPLATE.format(
            user=user,
            prefix=prefix,
            servers=servers,
            first=upstreams[0],
            server_both=SERVER.format(port=port, upstream="gongchuang"),
            server_one=SERVER.format(port=port_one, upstream="gongchuang_one"),
        )
    )
    return conf


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid
