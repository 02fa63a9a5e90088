"""A clean corpus: prometheus_client and JSON patterns the lint accepts."""
import json
import logging
import os
import sys

from prometheus_client import Counter, Gauge, Histogram

LABELS = ("env", "symbol", "side")

ORDERS = Counter("trader_orders", "Orders sent.", LABELS)
LATENCY = Histogram("trader_latency_seconds", "Latency.", labelnames=["endpoint", "op"])
UP = Gauge("trader_up", "Up.")

log = logging.getLogger(__name__)


def write_json_atomic(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        json.dump(payload, f, sort_keys=True, separators=(",", ":"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def record(env, symbol, buy, seconds):
    side = "buy" if buy else "sell"
    ORDERS.labels(env=env, symbol=symbol, side=side).inc()
    ORDERS.labels(env, symbol, side).inc()
    LATENCY.labels(endpoint="/orders", op="place").observe(seconds)
    UP.set(1)
    msg = f"recorded {symbol!r} in {seconds:.3f}s [OK]"
    print(msg)
    logging.info("recorded %s", symbol)
    json.dump({"symbol": symbol}, sys.stdout)
    write_json_atomic("state.json", {"symbol": symbol, "note": "labels(user=1) json.dump( in a string"})
    # .labels(user=1) and json.dump( in a comment are not calls
