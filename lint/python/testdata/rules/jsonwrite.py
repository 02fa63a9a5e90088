import json
import json as j
from json import dump
import sys


def write_json_atomic(path, payload):
    with open(path + ".tmp", "w") as f:
        json.dump(payload, f)


def bad(path, payload):
    with open(path, "w") as f:
        json.dump(payload, f)
        j.dump(payload, f)
        dump(payload, f)
        f.write(json.dumps(payload))
        f.write(
            json.dumps(payload, indent=2)
        )
    json.dump(payload, sys.stdout)
    json.dump(payload, fp=sys.stderr)
    print("json.dump(x, f)")
    s = json.dumps(payload)
    json.dump(payload, f)  # lint-ok: py-jsonwrite/json-dump -- scratch file
    # lint-ok: py-jsonwrite -- covers the next statement
    f.write(
        json.dumps(payload))
    x = 1  # lint-ok: py-jsonwrite/write-dumps -- nothing to suppress here
