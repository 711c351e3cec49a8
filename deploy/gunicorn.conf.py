"""gunicorn's settings for the board in production: `gunicorn -c deploy/gunicorn.conf.py`.

A command-line option overrides the value here (`--bind 0.0.0.0:8000`,
`--workers 8`); docs/deploy.md explains each choice.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

wsgi_app = "webapp:create_app()"
bind = ["127.0.0.1:8000"]  # the reverse proxy on this machine connects here

# Processes for the CPU, threads for the waiting. A page is mostly Python (templates,
# the ORM), and the threads of one process share its GIL: two pages at once in one
# process take twice as long each. A client's keep-alive connection stays with the
# process that took it, so with few processes they often meet there. gunicorn's own
# advice, two per core and one more (WEB_CONCURRENCY overrides), spreads them out;
# four threads in each wait for the database cheaply.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
threads = 4


def post_worker_init(worker: object) -> None:
    """Once the app is loaded, its objects (the modules, the ORM's mappings) are
    moved out of the collector's sight: a full collection then walks only what requests
    made. Its longest pause of every thread of the process, measured in one process: over
    600 pages of the demo board, frozen before the first as here, 236 -> 30 ms; over 400
    pages at 5,000 youths, frozen after a sign-in, 199 -> 28 ms."""
    gc.freeze()


# An idle connection is kept open longer than the proxy keeps its idle upstream
# connections (nginx's keepalive_timeout, 60 s; the same for most load balancers):
# the proxy closes first, so it never sends a request on a connection gunicorn is closing.
# gunicorn's default is 2 s, and clients behind a proxy then got resets.
keepalive = 75
PROXY_IDLE_TIMEOUT_S = 60  # what `keepalive` must exceed (docs/deploy.md's nginx block)

timeout = 30  # a worker silent this long is restarted
graceful_timeout = 30  # on a restart, requests in progress get this long to finish

# The access log names the method, the path without its query string (a search may
# carry a name), the status, the size and the time; not the client's address.
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# Workers tell the master they are alive through a file: in memory where Linux has it,
# so that a slow disk never makes a healthy worker look dead.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
