"""A suite with a stable, an intermittent and an always-failing test.

The intermittent test fails on every second run, counted in the file that
$SOAK_COUNTER names (a fresh temp file per soak), so a soak of a few
iterations sees it both pass and fail whatever the machine's speed.
"""
import os

import pytest


def test_stable_add():
    assert 1 + 1 == 2


@pytest.mark.parametrize("n", [1, 2])
def test_stable_param(n):
    print("checking", n)
    assert n > 0


def test_intermittent():
    path = os.environ.get("SOAK_COUNTER", "")
    count = 0
    if path and os.path.exists(path):
        with open(path) as f:
            count = int(f.read() or "0")
    count += 1
    if path:
        with open(path, "w") as f:
            f.write(str(count))
    assert count % 2 == 1, "run %d: the intermittent test failed" % count


def test_always_fails():
    assert "expected" == "actual"


@pytest.mark.skip(reason="not on this platform")
def test_skipped():
    pass
