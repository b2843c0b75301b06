#!/usr/bin/env bash
# Times `BlockIgnores`: a Vale project of FILES generated Markdown pages (60
# paragraphs each, every tenth holding a `{{< … >}}` shortcode inside its
# sentence), checked with an existence and a repetition rule, without and
# with `BlockIgnores` matching the shortcodes (each page with a match is
# parsed a second time with the matches as block breaks).
# Usage: scripts/bench-vale-blockignores.sh [FILES] [RUNS]   (uses target/release/imprimatur)
set -euo pipefail
FILES=${1:-1000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/imprimatur}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/styles/Base" "$work/docs"
printf 'extends: existence\nmessage: "Avoid %%s."\ntokens: [nightly]\n' > "$work/styles/Base/Nightly.yml"
printf 'extends: repetition\nmessage: "%%s is repeated."\ntokens: ['"'"'[^\\s]+'"'"']\n' > "$work/styles/Base/Rep.yml"
python3 - "$work/docs" "$FILES" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
para = ("The service stores each record twice, and the index is rebuilt nightly "
        "so that readers see a consistent view of the data.\n")
short = ("Read the {{< partial \"setup.md\" >}} guide before the index is rebuilt "
         "so that readers see the data.\n")
for i in range(n):
    with open(f"{out}/page{i}.md", "w") as f:
        f.write(f"# Page {i}\n\n")
        for s in range(6):
            f.write(f"## Section {s}\n\n" + "\n".join([short] + [para] * 9) + "\n")
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
printf 'StylesPath = styles\n\n[*.md]\nBasedOnStyles = Base\nBlockIgnores = ({{< [^>]* >}})\n' > .vale.ini
with=$(time_check blocks)
echo "files $FILES: without BlockIgnores: $base; with BlockIgnores (every page re-parsed): $with (medians of $RUNS)"
