# Prints CPython's tokens of the file named in argv[1] as JSON lines:
# [type, string, start_row, start_col, end_row, end_col]. Exit 3 if the
# file does not tokenize. Used by the differential test in token_test.go.
import json
import sys
import tokenize

with open(sys.argv[1], "rb") as f:
    try:
        toks = list(tokenize.tokenize(f.readline))
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        sys.exit(3)
out = []
for t in toks:
    if t.type == tokenize.ENCODING:
        continue
    out.append([tokenize.tok_name[t.type], t.string, t.start[0], t.start[1], t.end[0], t.end[1]])
sys.stdout.write(json.dumps(out))
