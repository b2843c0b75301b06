#!/usr/bin/env bash
# The GitHub Action's logic, kept out of YAML so tests can run it. In `gate`
# mode (the default) it fetches the pull request's reviews with `gh` (unless
# disabled), then runs `imprimatur gate`; in `check` mode it runs `imprimatur
# check` (the changed files when a base is given or `changed-lines` is on,
# else the whole content set). Either way it writes SARIF when asked, and
# annotations (plus the job summary, when GITHUB_STEP_SUMMARY is set) to
# stdout. Exit status is imprimatur's: 0 passed, 1 blocked or findings at the
# fail level (the step fails), 2 error.
#
# Inputs (environment): INPUT_MODE (gate or check), INPUT_BASE,
# INPUT_CONFIG, INPUT_FAIL_LEVEL, INPUT_CHANGED_LINES (true/false),
# INPUT_FORMAT (default github), INPUT_REVIEWS (default true, gate mode),
# INPUT_SARIF_FILE; IMPRIMATUR_BIN (default: imprimatur on PATH).
# GitHub provides GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_STEP_SUMMARY
# and RUNNER_TEMP; the action passes GH_TOKEN. With no INPUT_BASE the binary
# reads the base from the event payload (pull_request.base.sha).
set -euo pipefail
bin=${IMPRIMATUR_BIN:-imprimatur}
tmp=${RUNNER_TEMP:-$(mktemp -d)}

mode=${INPUT_MODE:-gate}
changed_lines=${INPUT_CHANGED_LINES:-false}
case "$mode" in
  gate)
    args=(gate)
    if [ -n "${INPUT_BASE:-}" ]; then args+=(--base "$INPUT_BASE"); fi
    ;;
  check)
    args=(check)
    if [ -n "${INPUT_BASE:-}" ]; then
      args+=(--changed "$INPUT_BASE")
    elif [ "$changed_lines" = "true" ]; then
      args+=(--changed)
    fi
    ;;
  *)
    echo "::error title=imprimatur::mode must be gate or check, not \`$mode\`"
    exit 2
    ;;
esac
case "$changed_lines" in
  true) args+=(--changed-lines) ;;
  false | "") ;;
  *)
    echo "::error title=imprimatur::changed-lines must be true or false, not \`$changed_lines\`"
    exit 2
    ;;
esac
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_FAIL_LEVEL:-}" ]; then args+=(--fail-level "$INPUT_FAIL_LEVEL"); fi

# The pull request's number from the event payload: `pull_request.number`
# (pull_request and pull_request_review events), else a top-level `number`.
pr_number() {
  local event=$1
  if command -v jq >/dev/null 2>&1; then
    jq -r '.pull_request.number // .number // empty' "$event"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))
print((e.get("pull_request") or {}).get("number") or e.get("number") or "")' "$event"
  fi
}

pr=""
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  pr=$(pr_number "$GITHUB_EVENT_PATH" || true)
fi
if [ "$mode" = "gate" ] && [ "${INPUT_REVIEWS:-true}" = "true" ]; then
  if [ -z "$pr" ] || [ -z "${GITHUB_REPOSITORY:-}" ]; then
    echo "::notice title=imprimatur::not a pull request event; judging trailers only"
  elif ! command -v gh >/dev/null 2>&1; then
    echo "::warning title=imprimatur::the gh CLI is not installed; judging trailers only"
  else
    reviews="$tmp/imprimatur-reviews.json"
    if gh api --paginate "repos/$GITHUB_REPOSITORY/pulls/$pr/reviews" > "$reviews"; then
      args+=(--reviews "$reviews")
    else
      echo "::warning title=imprimatur::could not fetch the pull request's reviews (the token needs pull-requests: read); judging trailers only"
    fi
  fi
fi

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  status=0
  "$bin" "${args[@]}" --format sarif > "$INPUT_SARIF_FILE" || status=$?
  if [ "$status" -ge 2 ]; then exit "$status"; fi
fi
exec "$bin" "${args[@]}" --format "${INPUT_FORMAT:-github}"
