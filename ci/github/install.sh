#!/usr/bin/env bash
# Installs imprimatur for the GitHub Action unless it is already on PATH (a
# cache hit, or a binary an earlier step installed): from INPUT_PATH (a
# source folder), else INPUT_VERSION (crates.io), else the action's own
# checkout (ACTION_PATH).
set -euo pipefail
if command -v imprimatur >/dev/null 2>&1; then
  echo "using $(command -v imprimatur) ($(imprimatur --version))"
  exit 0
fi
if [ -n "${INPUT_PATH:-}" ]; then
  cargo install --locked --path "$INPUT_PATH"
elif [ -n "${INPUT_VERSION:-}" ]; then
  cargo install --locked imprimatur --version "$INPUT_VERSION"
else
  cargo install --locked --path "${ACTION_PATH:?}"
fi
