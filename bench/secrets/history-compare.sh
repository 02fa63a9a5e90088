#!/usr/bin/env bash
# history-compare.sh — soakkit's git history scan vs gitleaks v8.30.1's git
# mode (release build, -tags gore2regex) on the same repository, in the
# same run.
#
#   bench/secrets/history-compare.sh [REPO] [RUNS]
#
# REPO is a git repository (a clone of a real project with >= 1,000
# commits is the intended input). Without it, a synthetic history of
# 1,500 commits with code churn and planted secrets is generated
# (secretsbench genrepo) and the figures say so. Both scanners read every
# ref (gitleaks' default --all; soakkit --history --all) and neither diffs
# merge commits. Each is run RUNS times (default 3), alternating; the
# lowest wall time of each is summarised.
#
# Needs: go, git, /usr/bin/time (GNU, for peak RSS). Environment: WORK
# (scratch dir), GITLEAKS (use this binary instead of installing),
# COMMITS (synthetic history size, default 1500).
set -euo pipefail
REPO=${1:-}
RUNS=${2:-3}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK/bin"
cd "$SRC"

echo "== build"
go build -o "$WORK/bin/secretsbench" ./bench/secrets
GITLEAKS=${GITLEAKS:-$WORK/bin/gitleaks}
if [ ! -x "$GITLEAKS" ]; then
  GOBIN="$WORK/bin" GOFLAGS= go install -tags gore2regex github.com/zricethezav/gitleaks/v8@v8.30.1
fi
"$GITLEAKS" version

if [ -z "$REPO" ]; then
  REPO="$WORK/synthetic"
  rm -rf "$REPO"
  echo "== no repository given: generating a synthetic one"
  "$WORK/bin/secretsbench" genrepo -out "$REPO" -commits "${COMMITS:-1500}"
fi
COUNT=$(git -C "$REPO" rev-list --count --all)
PATCH=$(git -C "$REPO" log -p -U0 --all | wc -c)
echo "== repository $REPO: $COUNT commits (all refs), git log -p -U0 --all is $PATCH bytes"
# Warm the page cache and git's pack files for both.
git -C "$REPO" log -p -U0 --all > /dev/null

timed() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2>&1 || true
  read -r wall user sys rss < "$WORK/$name.time"
  # wall time depends on the machine's other load; CPU time (user+sys,
  # git's included) is the steadier comparison, so both are printed.
  printf '%-10s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MiB\n' "$name" "$wall" \
    "$(echo "$user+$sys" | bc -l)" "$(echo "$rss/1024" | bc -l)" | tee -a "$WORK/history-summary.txt"
}

echo "== scan (nproc=$(nproc), load $(cut -d' ' -f1-3 /proc/loadavg))"
: > "$WORK/history-summary.txt"
for i in $(seq "$RUNS"); do
  timed "gitleaks" "$GITLEAKS" git "$REPO" --no-banner --exit-code 0 --report-format json --report-path "$WORK/gitleaks-git.json"
  timed "soakkit" "$WORK/bin/secretsbench" history -repo "$REPO" -report "$WORK/soakkit-history.json"
done
echo "== best of $RUNS (lowest wall time)"
for name in gitleaks soakkit; do
  grep "^$name " "$WORK/history-summary.txt" | sort -k3 -n | head -1
done | tee "$WORK/history-best.txt"
gw=$(awk '$1=="gitleaks"{print $3}' "$WORK/history-best.txt")
sw=$(awk '$1=="soakkit"{print $3}' "$WORK/history-best.txt")
echo "speed-up (wall): $(echo "$gw/$sw" | bc -l | cut -c1-5)x"
echo "findings: gitleaks $(grep -c '"RuleID"' "$WORK/gitleaks-git.json" || true) (one per commit that adds a secret)," \
  "soakkit $(grep -o '"rule_id"' "$WORK/soakkit-history.json" | wc -l) (one per secret)"
cat "$WORK/soakkit.out"
echo "results in $WORK"
