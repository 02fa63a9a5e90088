import json

from common.artifacts import write_json_atomic


def save(path, payload):
    write_json_atomic(path, payload)


def debug(payload, f):
    json.dump(payload, f)
