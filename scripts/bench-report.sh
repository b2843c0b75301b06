#!/usr/bin/env bash
# Times `imprimatur check --format json` against `imprimatur report --format
# json` in DIR (a content repository, e.g. the make-corpus.py corpus), RUNS
# times each, alternating, and prints the median wall-clock and CPU seconds
# of each and the ratio report/check.
# Usage: scripts/bench-report.sh DIR [RUNS]   (uses target/release/imprimatur)
set -euo pipefail
DIR=${1:?usage: scripts/bench-report.sh DIR [RUNS]}
RUNS=${2:-5}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/imprimatur}
times=$(mktemp)
trap 'rm -f "$times"' EXIT
cd "$DIR"
for _ in $(seq "$RUNS"); do
  for cmd in check report; do
    /usr/bin/time -f "$cmd %e %U %S %M" -a -o "$times" "$BIN" "$cmd" --format json >/dev/null || [ $? -eq 1 ]
  done
done
python3 - "$times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
med = {}
for cmd in ("check", "report"):
    mine = [r for r in rows if r[0] == cmd]
    wall = statistics.median(float(r[1]) for r in mine)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in mine)
    peak = max(int(r[4]) for r in mine) / 1024
    med[cmd] = (wall, cpu)
    print(f"{cmd:6}  wall {wall:.2f} s  cpu {cpu:.2f} s  peak {peak:.0f} MB  ({len(mine)} runs)")
print(f"report/check  wall {med['report'][0] / med['check'][0]:.2f}x  cpu {med['report'][1] / med['check'][1]:.2f}x")
PY
