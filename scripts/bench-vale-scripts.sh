#!/usr/bin/env bash
# Times Vale script rules: a Vale project of FILES generated Markdown pages
# (60 paragraphs each), checked with public script rules (Vale's ScriptRE and
# vale-at-red-hat's ValidConditions over `raw`, a quote check over every
# paragraph) against the same project with one existence rule only; then one page under a
# script that never ends, to time the step budget.
# Usage: scripts/bench-vale-scripts.sh [FILES] [RUNS]   (uses target/release/imprimatur)
set -euo pipefail
FILES=${1:-200}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/imprimatur}
FIX=$ROOT/tests/fixtures/vale-scripts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/styles/S" "$work/styles/Base" "$work/docs"
cp "$FIX/vale/ScriptRE.yml" "$FIX/red-hat/ValidConditions.yml" "$work/styles/S/"
cat > "$work/styles/S/Quotes.yml" <<'YML'
extends: script
message: "Use straight quotes, not '%s'."
scope: paragraph
script: |
  text := import("text")
  matches := []
  for m in text.re_find(`[“”]`, scope, -1) {
    matches = append(matches, {begin: m[0].begin, end: m[0].end})
  }
YML
printf 'extends: existence\nmessage: "Avoid %%s."\nscope: paragraph\ntokens: [nightly]\n' > "$work/styles/Base/Nightly.yml"
python3 - "$work/docs" "$FILES" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
para = ("The service stores “each” record twice, and the index is rebuilt nightly "
        "so that readers see a consistent view of the data.\n")
for i in range(n):
    with open(f"{out}/page{i}.md", "w") as f:
        f.write(f"# Page {i}\n\n")
        for s in range(6):
            f.write(f"## Section {s}\n\n" + "\n".join([para] * 10) + "\n")
PY
time_check() {  # prints the median wall-clock and CPU seconds of RUNS checks
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -a -o "$work/t.$1" "$BIN" check --no-cache --format json >/dev/null 2>&1 || true
  done
  python3 - "$work/t.$1" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l[0].isdigit()]
wall = statistics.median(float(r[0]) for r in rows)
cpu = statistics.median(float(r[1]) + float(r[2]) for r in rows)
print(f"wall {wall:.2f}s cpu {cpu:.2f}s")
PY
}
cd "$work"
printf 'StylesPath = styles\n\n[*.md]\nBasedOnStyles = Base\n' > .vale.ini
base=$(time_check base)
printf 'StylesPath = styles\n\n[*.md]\nBasedOnStyles = Base, S\n' > .vale.ini
with=$(time_check scripts)
echo "files $FILES: one existence rule: $base; plus 3 script rules: $with (medians of $RUNS)"
rm -rf docs styles/S/*
mkdir docs
printf '# One\n\nText.\n' > docs/a.md
printf 'extends: script\nmessage: x\nscope: raw\nscript: |\n  n := 0\n  for {\n    n++\n  }\n' > styles/S/Spin.yml
spin=$(time_check spin)
echo "one page, endless loop stopped by the step budget: $spin"
