"""The yardstick for bench_throughput.py: the least a Flask app under gunicorn can do."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
