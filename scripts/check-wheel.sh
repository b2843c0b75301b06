#!/usr/bin/env bash
# Builds the Python wheel with maturin (from PyPI), installs it into a fresh
# virtualenv with no Rust toolchain on PATH, and runs the README's first
# command with the installed `imprimatur` (it must exit 1: the example site
# has deliberate violations). Prints how long the install took.
# Usage: scripts/check-wheel.sh [WORK_DIR]   (default target/wheel-check);
# MATURIN_PROFILE=release reuses a release build (default: dist, what ships).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/wheel-check}
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)

python3 -m venv "$work/build-venv"
"$work/build-venv/bin/pip" install --quiet "maturin>=1.5,<2.0"
"$work/build-venv/bin/maturin" build --quiet --profile "${MATURIN_PROFILE:-dist}" --out "$work/wheels"
wheel=$(ls "$work"/wheels/imprimatur_lint-*.whl)
echo "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

# A fresh environment, and a PATH without cargo or any other imprimatur.
clean_path=$(python3 - <<'PY'
import os, shutil
keep = [d for d in os.environ["PATH"].split(os.pathsep)
        if d and not os.path.exists(os.path.join(d, "cargo")) and not os.path.exists(os.path.join(d, "imprimatur"))]
print(os.pathsep.join(keep))
PY
)
python3 -m venv "$work/venv"
start=$EPOCHREALTIME
PATH="$clean_path" "$work/venv/bin/pip" install --quiet --no-index "$wheel"
awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "pip install of the wheel into a fresh venv: %.1f s\n", e - s }'

# The README's first command, with the installed binary in place of `cargo run`.
first=$(grep -m1 -A1 '^# 1\. ' README.md | tail -n1)
command=${first/cargo run --quiet --/imprimatur}
[ "$command" != "$first" ] || { echo "README's first command is not a cargo run: $first" >&2; exit 1; }
echo "\$ $command"
status=0
PATH="$work/venv/bin:$clean_path" command -v imprimatur | grep -q "^$work/venv/bin/" || { echo "imprimatur is not the venv's" >&2; exit 1; }
(PATH="$work/venv/bin:$clean_path"; eval "$command") > "$work/out.txt" 2>&1 || status=$?
tail -n 3 "$work/out.txt"
if [ "$status" -ne 1 ]; then
  echo "expected exit status 1 (findings), got $status" >&2
  exit 1
fi
PATH="$work/venv/bin:$clean_path" imprimatur --version
echo "wheel check passed"
