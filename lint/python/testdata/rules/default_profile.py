# The default profile: no allowlist; names that look unbounded are warnings,
# except on info metrics; reserved and invalid names stay errors.
from prometheus_client import Counter, Gauge, Histogram, Info

REQS = Counter("http_requests_total", "Requests.", ["method", "code", "user_id"])
BUILD = Gauge("app_build_info", "Build.", ["version", "path"])
INFO = Info("app", "App.", ["url"])
LAT = Histogram("lat_seconds", "Latency.", ["le", "client_ip"])


def f():
    REQS.labels(method="GET", code="200", user_id="u1").inc()
    unknown.labels(email="a@b.c", mode="idle")
