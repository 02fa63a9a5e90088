#!/usr/bin/env bash
# compare.sh — soakkit secrets vs gitleaks v8.30.1 (release build, -tags
# gore2regex) on the same generated corpus, in the same run.
#
#   bench/secrets/compare.sh [SIZE_BYTES] [SEED]
#
# Needs: go, /usr/bin/time (GNU, for peak RSS). Reaches the network only
# through the Go module proxy, to install gitleaks into a temp GOBIN.
# Environment: WORK (scratch dir, default a new mktemp dir), GITLEAKS (use
# this binary instead of installing), GOSRC (also time both on this
# unlabelled tree, e.g. "$(go env GOROOT)/src"), SHOW_FP (list N false
# positives per scanner), SHOW_DIFF (list N of gitleaks' labelled samples
# where soakkit with gitleaks' config and gitleaks disagree).
#
# Besides the generated corpus it scores both scanners on gitleaks' own
# labelled samples (its rule tests' true and false positives, extracted
# from the v8.30.1 source at run time; see secretsbench glsamples), with
# soakkit run twice: built-in rules, and gitleaks' default config loaded
# through soakkit's config loader. The built-in rules are scored by default
# and strictly (counting findings suppressed as checksum-mismatch too);
# LIST=N lists N of the built-in rules' misses and false positives by rule.
set -euo pipefail
SIZE=${1:-200000000}
SEED=${2:-1}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK/bin"
cd "$REPO"

echo "== build"
go build -o "$WORK/bin/secretsbench" ./bench/secrets
GITLEAKS=${GITLEAKS:-$WORK/bin/gitleaks}
if [ ! -x "$GITLEAKS" ]; then
  GOBIN="$WORK/bin" GOFLAGS= go install -tags gore2regex github.com/zricethezav/gitleaks/v8@v8.30.1
fi
"$GITLEAKS" version

echo "== corpus ($SIZE bytes, seed $SEED)"
rm -rf "$WORK/corpus"
"$WORK/bin/secretsbench" gen -out "$WORK/corpus" -size "$SIZE" -seed "$SEED" -manifest "$WORK/manifest.json"
# Warm the page cache so neither scanner pays for the first read.
find "$WORK/corpus" -type f -exec cat {} + > /dev/null

timed() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2>&1 || true
  read -r wall user sys rss < "$WORK/$name.time"
  # On a shared machine wall time depends on the other load; CPU time
  # (user+sys) is the steadier comparison, so both are printed.
  printf '%-11s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MiB  %7.1f MB/s (wall)\n' "$name" "$wall" \
    "$(echo "$user+$sys" | bc -l)" "$(echo "$rss/1024" | bc -l)" "$(echo "$SIZE/1000000/$wall" | bc -l)" | tee -a "$WORK/summary.txt"
}

echo "== scan (nproc=$(nproc))"
: > "$WORK/summary.txt"
timed gitleaks "$GITLEAKS" dir "$WORK/corpus" --no-banner --exit-code 0 --report-format json --report-path "$WORK/gitleaks.json"
timed soakkit "$WORK/bin/secretsbench" scan -root "$WORK/corpus" -report "$WORK/soakkit.json"
echo "== gitleaks' labelled rule samples and default config (from the v8.30.1 source)"
"$WORK/bin/secretsbench" glsamples -out "$WORK/glsamples.jsonl" -config "$WORK/gitleaks.toml"
# soakkit running gitleaks' rules: the cost of the regex engine path.
timed soakkit-glcfg "$WORK/bin/secretsbench" scan -root "$WORK/corpus" -report "$WORK/soakkit-glcfg.json" -config "$WORK/gitleaks.toml"

echo "== accuracy"
"$WORK/bin/secretsbench" eval -manifest "$WORK/manifest.json" -root "$WORK/corpus" \
  -soakkit "$WORK/soakkit.json" -gitleaks "$WORK/gitleaks.json" -show-fp "${SHOW_FP:-0}" | tee -a "$WORK/summary.txt"
echo "soakkit with gitleaks' default config:" | tee -a "$WORK/summary.txt"
"$WORK/bin/secretsbench" eval -manifest "$WORK/manifest.json" -root "$WORK/corpus" \
  -soakkit "$WORK/soakkit-glcfg.json" -show-fp "${SHOW_FP:-0}" | tee -a "$WORK/summary.txt"

echo "== labelled samples: gitleaks' rule tests"
"$WORK/bin/secretsbench" glscore -samples "$WORK/glsamples.jsonl" -config "$WORK/gitleaks.toml" \
  -gitleaks "$GITLEAKS" -work "$WORK/glscore" -show "${SHOW_DIFF:-0}" -list "${LIST:-0}" | tee -a "$WORK/summary.txt"
if [ -n "${GOSRC:-}" ]; then
  # Real code, unlabelled: speed and the number of findings only.
  echo "== Go source tree $GOSRC ($(du -sb "$GOSRC" | cut -f1) bytes)"
  SIZE=$(du -sb "$GOSRC" | cut -f1)
  find "$GOSRC" -type f -exec cat {} + > /dev/null
  timed gitleaks-go "$GITLEAKS" dir "$GOSRC" --no-banner --exit-code 0 --report-format json --report-path "$WORK/gitleaks-go.json"
  timed soakkit-go "$WORK/bin/secretsbench" scan -root "$GOSRC" -report "$WORK/soakkit-go.json"
  echo "findings: gitleaks $(grep -c '"RuleID"' "$WORK/gitleaks-go.json"), soakkit $(grep -o '"rule_id"' "$WORK/soakkit-go.json" | wc -l)" | tee -a "$WORK/summary.txt"
fi
echo "results in $WORK"
