"""Gunicorn settings for production, used by deploy/compose.yaml, the systemd unit and the production
test. Options given on the command line win over these; the environment tunes the numbers.

The app writes its own access line per request (with the request id, secrets masked), so gunicorn's
access log stays off: its lines would carry respondent codes and query strings.
"""
import os

from wellbeing import logs

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threaded workers (gthread): a few processes, each with enough threads that every request in flight
# gets one. Measured with bench/respondents.py (200 respondents answering at once, no think time,
# the load generator on the same two cores, the machine shared with other work; bench/README.md):
# 5 sync workers served 56-75 req/s with /readyz p99 6.6-8.6 s (the health check queues behind
# every waiting request); 3 x 64 gthread served 344 req/s with /readyz p99 0.36 s, 3 x 32 331 req/s
# and 1.7 s, 5 x 40 220 req/s and 0.94 s. Threads keep the client's connection and let /readyz
# run beside the load instead of behind it. Each process keeps at most 15 + 12 database connections
# (db.py), so 3 processes stay well inside PostgreSQL's default 100.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "64"))  # used by the gthread worker class only
# A database connection for every thread in each of the process's two pools (wellbeing/db.py), so a
# request never waits for one; the workers fork after this, so the app reads it from the environment.
os.environ.setdefault("DATABASE_POOL_SIZE", str(threads if worker_class == "gthread" else 2))
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
