#!/usr/bin/env bash
# The GitHub Action's logic, kept out of YAML so tests can run it: fetches the
# pull request's reviews with `gh` (unless disabled), then runs `imprimatur
# gate`, writing SARIF when asked and annotations to stdout. Exit status is
# the gate's: 0 passed, 1 blocked, 2 error.
#
# Inputs (environment): INPUT_BASE, INPUT_CONFIG, INPUT_FAIL_LEVEL,
# INPUT_FORMAT (default github), INPUT_REVIEWS (default true),
# INPUT_SARIF_FILE; IMPRIMATUR_BIN (default imprimatur on PATH).
# GitHub provides GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY,
# RUNNER_TEMP, and GH_TOKEN is passed by the action.
set -euo pipefail
bin=${IMPRIMATUR_BIN:-imprimatur}
tmp=${RUNNER_TEMP:-$(mktemp -d)}

args=(gate)
[ -n "${INPUT_BASE:-}" ] && args+=(--base "$INPUT_BASE")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FAIL_LEVEL:-}" ] && args+=(--fail-level "$INPUT_FAIL_LEVEL")

# The pull request number, from the event payload (no jq needed).
pr=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  pr=$(grep -o '"number"[[:space:]]*:[[:space:]]*[0-9]*' "$GITHUB_EVENT_PATH" | head -n 1 | grep -o '[0-9]*$' || true)
fi
if [ "${INPUT_REVIEWS:-true}" = "true" ] && [ -n "$pr" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
  if command -v gh >/dev/null 2>&1; then
    reviews="$tmp/imprimatur-reviews.json"
    if gh api --paginate "repos/$GITHUB_REPOSITORY/pulls/$pr/reviews" > "$reviews"; then
      args+=(--reviews "$reviews")
    else
      echo "::warning title=imprimatur::could not fetch the pull request's reviews; judging trailers only"
    fi
  else
    echo "::warning title=imprimatur::the gh CLI is not installed; judging trailers only"
  fi
fi

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  status=0
  "$bin" "${args[@]}" --format sarif > "$INPUT_SARIF_FILE" || status=$?
  if [ "$status" -ge 2 ]; then exit "$status"; fi
fi
exec "$bin" "${args[@]}" --format "${INPUT_FORMAT:-github}"
