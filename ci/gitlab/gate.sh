#!/usr/bin/env bash
# The GitLab CI template's logic: fetch the merge request's approvals (when a
# token is configured), run the gate, write the Code Quality report, and
# print the human summary. Exit status is the gate's (0 passed, 1 blocked, 2 error).
#
# Environment: IMPRIMATUR_API_TOKEN (a token with read_api, optional),
# CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA (GitLab),
# IMPRIMATUR_BIN (default imprimatur), IMPRIMATUR_REPORT (default
# gl-code-quality-report.json).
set -euo pipefail
bin=${IMPRIMATUR_BIN:-imprimatur}
report=${IMPRIMATUR_REPORT:-gl-code-quality-report.json}
args=(gate)
if [ -n "${IMPRIMATUR_API_TOKEN:-}" ] && [ -n "${CI_MERGE_REQUEST_IID:-}" ]; then
  approvals=$(mktemp)
  url="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/approvals"
  if curl --silent --fail --header "PRIVATE-TOKEN: $IMPRIMATUR_API_TOKEN" "$url" > "$approvals.raw"; then
    # GitLab's approvals name no commit: record the head they were read at.
    sed '0,/{/s/{/{"sha": "'"${CI_COMMIT_SHA:-}"'", /' "$approvals.raw" > "$approvals"
    args+=(--reviews "$approvals")
  else
    echo "warning: could not read the merge request's approvals; judging trailers only" >&2
  fi
fi
status=0
"$bin" "${args[@]}" --format gitlab > "$report" || status=$?
if [ "$status" -ge 2 ]; then exit "$status"; fi
"$bin" "${args[@]}" --format human || true
exit "$status"
