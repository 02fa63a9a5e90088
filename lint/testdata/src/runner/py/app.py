import json
from prometheus_client import Counter

JOBS = Counter("jobs", "Jobs.", ["env", "tenant"])


def save(path, state):
    with open(path, "w") as f:
        json.dump(state, f)
    print("saved ✓")
