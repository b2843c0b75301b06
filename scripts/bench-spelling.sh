#!/usr/bin/env bash
# Spelling benchmark: the built-in packs alone against the built-in packs plus
# a `spelling` rule (bundled en_US), on the English pages of the benchmark
# corpus (../shared/bench/make-corpus.py: tldr's English pages and The Rust
# Programming Language), RUNS runs each, alternating, with --no-cache. Prints
# the median wall-clock and CPU seconds, the peak memory (max RSS) and the
# ratio; then the cost of loading the dictionary: the median wall time of
# checking one small page with and without the spelling rule (RUNS * 4 runs).
#
# Usage: scripts/bench-spelling.sh [WORK_DIR] [RUNS] [COPIES]
#   WORK_DIR defaults to a temp dir; RUNS to 5; COPIES to 1.
#   BIN=path overrides target/release/imprimatur; CORPUS_SCRIPT=path the
#   corpus script; COMPARE=path another build whose JSON output of the
#   spelling run must be byte-identical (a speed change must not change a
#   finding, a message or a suggestion). Needs python3 and GNU time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$(mktemp -d)}
RUNS=${2:-5}
COPIES=${3:-1}
BIN=${BIN:-$ROOT/target/release/imprimatur}
CORPUS_SCRIPT=${CORPUS_SCRIPT:-$ROOT/../shared/bench/make-corpus.py}
[ -f "$CORPUS_SCRIPT" ] || CORPUS_SCRIPT=/work/shared/bench/make-corpus.py

[ -d "$WORK/content" ] || python3 "$CORPUS_SCRIPT" "$WORK" --copies "$COPIES" >/dev/null
mkdir -p "$WORK/packs"
cat >"$WORK/packs/spelling.yml" <<'YAML'
rules:
  - id: quality/spelling
    kind: spelling
    level: warning
YAML
builtin="builtin:claims, builtin:brand, builtin:privacy, builtin:structure"
for variant in builtin spelling; do
  rules="[$builtin]"
  [ "$variant" = spelling ] && rules="[$builtin, packs/spelling.yml]"
  cat >"$WORK/imprimatur-$variant.yml" <<YAML
content:
  include: ["content/*/tldr/pages/**/*.md", "content/*/rust-book/**/*.md"]
rules: $rules
YAML
  # One small page, to time start-up (the dictionary load).
  mkdir -p "$WORK/tiny-$variant/packs"
  cp "$WORK/packs/spelling.yml" "$WORK/tiny-$variant/packs/"
  printf 'rules: %s\n' "$rules" >"$WORK/tiny-$variant/imprimatur.yml"
  printf '# Page\n\nA short page.\n' >"$WORK/tiny-$variant/page.md"
done
pages=$(find "$WORK/content" -path '*/tldr/pages/*' -name '*.md' -o -path '*/rust-book/*' -name '*.md' | wc -l)
echo "corpus: $WORK ($pages English pages, $COPIES copies); $RUNS runs each"

if [ -n "${COMPARE:-}" ]; then
  (cd "$WORK" && "$BIN" check --config imprimatur-spelling.yml --format json --no-cache >"$WORK/out-bin.json") || true
  (cd "$WORK" && "$COMPARE" check --config imprimatur-spelling.yml --format json --no-cache >"$WORK/out-compare.json") || true
  if cmp -s "$WORK/out-bin.json" "$WORK/out-compare.json"; then
    echo "output: identical to $COMPARE"
  else
    echo "output: DIFFERS from $COMPARE" >&2
    exit 1
  fi
fi

times=$(mktemp)
trap 'rm -f "$times"' EXIT
for _ in $(seq "$RUNS"); do
  for variant in builtin spelling; do
    (cd "$WORK" && /usr/bin/time -f "$variant %e %U %S %M" -a -o "$times" \
      "$BIN" check --config "imprimatur-$variant.yml" --format json --no-cache >/dev/null) || true
  done
done

# Dictionary load: one tiny page, with and without the spelling rule.
for _ in $(seq $((RUNS * 4))); do
  for variant in builtin spelling; do
    (cd "$WORK/tiny-$variant" && /usr/bin/time -f "tiny-$variant %e %U %S %M" -a -o "$times" \
      "$BIN" check --format json --no-cache >/dev/null) || true
  done
done

python3 - "$times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip() and not l.startswith("Command")]
med = {}
for v in ("builtin", "spelling", "tiny-builtin", "tiny-spelling"):
    mine = [r for r in rows if r[0] == v]
    wall = statistics.median(float(r[1]) for r in mine)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in mine)
    peak = max(int(r[4]) for r in mine) / 1024
    med[v] = (wall, cpu)
    print(f"{v:14} wall {wall:.3f} s  cpu {cpu:.3f} s  peak {peak:.0f} MB  ({len(mine)} runs)")
print(f"spelling/builtin  wall {med['spelling'][0] / med['builtin'][0]:.2f}x  cpu {med['spelling'][1] / med['builtin'][1]:.2f}x")
print(f"dictionary load (tiny page, spelling - builtin): {1000 * (med['tiny-spelling'][0] - med['tiny-builtin'][0]):.0f} ms wall")
PY
