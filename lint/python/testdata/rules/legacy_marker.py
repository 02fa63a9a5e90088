# test-ok: raw-json
import json


def dump_it(payload, f):
    json.dump(payload, f)
