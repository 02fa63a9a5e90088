import prometheus_client as pc
from prometheus_client import Counter as C, Gauge
from prometheus_client import (
    Histogram,
)

LABELS = ("env", "symbol")

ORDERS = C("orders", "Orders.", LABELS)
FILLS = C("fills", "Fills.", labelnames=["env", "customer", "side"])
LAT = Histogram("lat_seconds", "Latency.", ["le"])
G = pc.Gauge("depth", "Depth.", ["stage", "wsType"], namespace="md")
DUP = Gauge("dup", "Dup.", ("env", "env"))


def f(v, names, **kw):
    ORDERS.labels(env="prod", symbol="BTC").inc()
    ORDERS.labels(env="prod", side="buy").inc()
    ORDERS.labels("prod").inc()
    ORDERS.labels("prod", "BTC").inc()
    FILLS.labels(**kw).inc()
    unknown.labels(env="x", user="y")
    s = "x.labels(user=1)"
    # x.labels(user=1) in a comment
    get_labels(user=1)
    ORDERS.labels(
        env="prod",
        symbol=f"{v['k']}",
    ).inc()
    G.labels(stage="a", wsType="b")
    unknown.labels(customer="x")  # lint-ok: metric-label -- legacy alias
    Gauge("dyn", "Dynamic.", names)
