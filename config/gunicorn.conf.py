"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

Override with environment variables (GUNICORN_CMD_ARGS) or by editing a copy.
"""
import multiprocessing
import os

bind = os.environ.get("KVIFOR_BIND", "127.0.0.1:8000")  # behind a reverse proxy on the same host
workers = int(os.environ.get("KVIFOR_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
timeout = 60
# Personal links must not reach the access log.
logger_class = "survey_app.logs.RedactingGunicornLogger"
accesslog = "-"
errorlog = "-"
# No client addresses in the access log: respondents are anonymous.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'
forwarded_allow_ips = os.environ.get("KVIFOR_FORWARDED_ALLOW_IPS", "127.0.0.1")
