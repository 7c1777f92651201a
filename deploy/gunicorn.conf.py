"""Gunicorn settings for production, used by deploy/compose.yaml, the systemd unit and the production
test. Options given on the command line win over these; the environment tunes the numbers.

The app writes its own access line per request (with the request id, secrets masked), so gunicorn's
access log stays off: its lines would carry respondent codes and query strings.
"""
import os

from wellbeing import logs

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threaded workers (gthread): three processes of 32 threads sharing 8 database connections per pool,
# chosen with bench/respondents.py (200 respondents starting at once, about 3 s to read and answer a
# statement; the load generator on the same two cores of a shared machine; bench/README.md
# "Capacity" has the tables). With the respondents' pauses every threaded model met the goal
# (autosave p95 22-51 ms, /readyz p99 122-522 ms, no errors), 5 sync workers did not (autosave p99
# 5.4 s, /readyz p99 1.3 s: the health check waits in the listen queue behind the load). Without the
# pauses (every respondent clicking as fast as the server answers) the models parted: with a thread
# per connection in the pool (3 x 8, 3 x 16) /readyz waited in the process's queue behind the load,
# p99 9.9-25.5 s; with more threads than connections (3 x 32, pool 8) every request gets a thread,
# the load waits for a connection and /readyz, on a connection of its own, answered with p99 168 ms
# at the same throughput (126-152 req/s). More connections than that only queue for the two cores.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))  # used by the gthread worker class only
# At most this many connections in each of the process's two pools (wellbeing/db.py); threads beyond
# it wait for one (50 s at most, then a 503). The workers fork after this, so the app reads it from
# the environment. The count against PostgreSQL's max_connections is in deploy/README.md.
os.environ.setdefault("DATABASE_POOL_SIZE", str(min(threads if worker_class == "gthread" else 2, 8)))
# A request that runs longer than this is stuck: reports are made by the worker, not in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, against slow leaks; the jitter keeps them from restarting all at
# once. Not too often: a worker starts in about a second of CPU, and a busy worker serves a thousand
# requests in a few seconds.
max_requests = 50_000
max_requests_jitter = 5_000
# X-Forwarded-Proto is believed only from these addresses (FORWARDED_ALLOW_IPS, gunicorn's own
# variable). Compose sets "*": there only the proxy can reach the web container.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "wellbeing-web"
# gunicorn 25.1+ opens a control socket under $HOME; the services have no writable home and need none
# (older versions ignore the unknown name).
control_socket_disable = True
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"  # the heartbeat file; a container's /tmp may sit on slow storage

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
if logs.format_from_environment() == "json":
    # gunicorn's own lines (start, stop, worker timeouts) as JSON too, so one stream has one format.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},  # the app installs its handler in each worker
        "formatters": {"json": {"()": "wellbeing.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False,
                               "qualname": "gunicorn.error"},
            # logconfig_dict switches gunicorn's access log on; keep it silent (see above).
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False,
                                "qualname": "gunicorn.access"},
        },
    }
