#!/usr/bin/env bash
# The GitLab CI template's logic, kept out of YAML so tests can run it:
# fetches the merge request's approvals (when a token is configured), runs the
# gate, writes the Code Quality report and a JUnit report, and prints the
# human summary to the job log. Exit status is the gate's: 0 passed,
# 1 blocked (the job fails), 2 error.
#
# Environment: IMPRIMATUR_API_TOKEN (a token with read_api; optional),
# IMPRIMATUR_APPROVALS_RESET_ON_PUSH ("true" when the project removes all
# approvals when commits are added: the approvals then cover the head
# commit), IMPRIMATUR_CONFIG, IMPRIMATUR_FAIL_LEVEL, IMPRIMATUR_BIN (default
# imprimatur), IMPRIMATUR_REPORT (default gl-code-quality-report.json),
# IMPRIMATUR_JUNIT (default imprimatur-junit.xml). GitLab provides
# CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA, and
# CI_MERGE_REQUEST_DIFF_BASE_SHA, from which the binary takes the base.
set -euo pipefail
bin=${IMPRIMATUR_BIN:-imprimatur}
report=${IMPRIMATUR_REPORT:-gl-code-quality-report.json}
junit=${IMPRIMATUR_JUNIT:-imprimatur-junit.xml}
args=(gate)
if [ -n "${IMPRIMATUR_CONFIG:-}" ]; then args+=(--config "$IMPRIMATUR_CONFIG"); fi
if [ -n "${IMPRIMATUR_FAIL_LEVEL:-}" ]; then args+=(--fail-level "$IMPRIMATUR_FAIL_LEVEL"); fi

# Adds `"sha": HEAD` to the approvals object: GitLab's response names no commit.
with_head_sha() {
  local file=$1 sha=$2
  if command -v jq >/dev/null 2>&1; then
    jq --arg sha "$sha" '. + {sha: $sha}' "$file"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json, sys
a = json.load(open(sys.argv[1])); a["sha"] = sys.argv[2]; print(json.dumps(a))' "$file" "$sha"
  else
    echo "warning: neither jq nor python3 is installed; approvals are judged without the head commit" >&2
    cat "$file"
  fi
}

if [ -z "${CI_MERGE_REQUEST_IID:-}" ]; then
  echo "note: not a merge request pipeline; judging trailers only" >&2
elif [ -z "${IMPRIMATUR_API_TOKEN:-}" ]; then
  echo "note: IMPRIMATUR_API_TOKEN is not set; merge request approvals are not counted" >&2
else
  tmp=$(mktemp -d)
  url="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/approvals"
  if curl --silent --show-error --fail --header "PRIVATE-TOKEN: $IMPRIMATUR_API_TOKEN" "$url" > "$tmp/approvals.raw"; then
    if [ "${IMPRIMATUR_APPROVALS_RESET_ON_PUSH:-false}" = "true" ] && [ -n "${CI_COMMIT_SHA:-}" ]; then
      with_head_sha "$tmp/approvals.raw" "$CI_COMMIT_SHA" > "$tmp/approvals.json"
    else
      cp "$tmp/approvals.raw" "$tmp/approvals.json"
    fi
    args+=(--reviews "$tmp/approvals.json")
  else
    echo "warning: could not read the merge request's approvals; judging trailers only" >&2
  fi
fi

status=0
"$bin" "${args[@]}" --format gitlab > "$report" || status=$?
if [ "$status" -ge 2 ]; then exit "$status"; fi
"$bin" "${args[@]}" --format junit > "$junit" || true
"$bin" "${args[@]}" --format human || true
exit "$status"
