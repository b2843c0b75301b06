#!/usr/bin/env bash
# Times each install path against local stand-ins for the download hosts, on
# a PATH with no Rust toolchain: a local HTTP server on 127.0.0.1 serves a
# release (the archive of BINARY with its .sha256), a local folder of wheels
# stands in for PyPI. Prints one line per path, wall-clock seconds.
#
# Usage: scripts/install-times.sh BINARY WHEEL_DIR
#   BINARY     a release build of imprimatur (e.g. target/release/imprimatur)
#   WHEEL_DIR  holds imprimatur_lint-*.whl (scripts/check-wheel.sh builds one)
# Needs python3 (venv, http.server), tar, curl; gitlab-ci-local and
# pre-commit are timed when installed (target/ci-tools, pre-commit on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
binary=$(realpath "$1")
wheels=$(realpath "$2")
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

clean_path=$(python3 - <<'PY'
import os
keep = [d for d in os.environ["PATH"].split(os.pathsep)
        if d and not os.path.exists(os.path.join(d, "cargo")) and not os.path.exists(os.path.join(d, "imprimatur"))]
print(os.pathsep.join(keep))
PY
)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
target=x86_64-unknown-linux-musl
name=imprimatur-lint-$target
mkdir -p "$work/srv/v$version" "$work/pkg/$name"
cp "$binary" "$work/pkg/$name/imprimatur"
cp README.md CHANGELOG.md "$work/pkg/$name/"
tar -czf "$work/srv/v$version/$name.tar.gz" -C "$work/pkg" "$name"
(cd "$work/srv/v$version" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/srv" > "$work/http.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
for _ in $(seq 50); do curl -s -o /dev/null "$url/" && break; sleep 0.1; done

# Wall-clock time, and CPU time (user + system, of the command and its
# children): on a shared machine the second says what the path costs.
timed() {
  local label=$1 status=0
  shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" > "$work/last.log" 2>&1 || status=$?; } 2> "$work/time"
  if [ "$status" -eq 0 ]; then
    read -r real user sys < "$work/time"
    awk -v l="$label" -v r="$real" -v c="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
      'BEGIN { printf "%-56s %6.1f s wall, %5.1f s CPU\n", l, r, c }'
  else
    echo "$label: FAILED"
    cat "$work/last.log"
  fi
}
echo "load average: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || uptime)"

# 1. The GitHub Action's install step (and the GitLab job's): download,
#    checksum, unpack; then the installed binary runs.
action_install() {
  env -i PATH="$clean_path" HOME="$work/home" RUNNER_TEMP="$work" \
    ACTION_REF="v$version" IMPRIMATUR_DOWNLOAD_URL="$url" \
    IMPRIMATUR_INSTALL_DIR="$work/action/bin" bash ci/github/install.sh &&
    "$work/action/bin/imprimatur" --version
}
timed "GitHub Action install step (ci/github/install.sh)" action_install

# 2. pip: into a fresh virtualenv (made first, timed apart), from the wheel.
timed "python3 -m venv (a fresh environment, before pip)" python3 -m venv "$work/venv"
pip_install() {
  PATH="$clean_path" "$work/venv/bin/pip" install --quiet --no-index --find-links "$wheels" imprimatur-lint &&
    "$work/venv/bin/imprimatur" --version
}
timed "pip install imprimatur-lint (local wheel)" pip_install

# 3. The GitLab component, a whole pipeline with gitlab-ci-local.
gcl=$root/target/ci-tools/node_modules/.bin/gitlab-ci-local
if [ -x "$gcl" ]; then
  gitlab_pipeline() {
    local repo=$work/gitlab
    mkdir -p "$repo/templates/imprimatur" && cd "$repo"
    git init -q -b main && git remote add origin git@gitlab.example.com:acme/site.git
    cp "$root/templates/imprimatur/template.yml" templates/imprimatur/
    printf 'include:\n  - local: templates/imprimatur/template.yml\n    inputs: {mode: check}\n' > .gitlab-ci.yml
    printf 'rules: [builtin:claims]\n' > imprimatur.yml
    echo "# Page" > page.md
    git add -A && git -c user.name=A -c user.email=a@example.com commit -qm init
    env -i PATH="$clean_path" HOME="$work/home" GCL_IGNORE_PREDEFINED_VARS=CI_PIPELINE_SOURCE \
      "$gcl" --force-shell-executor --home "$work/home" \
      --variable CI_PIPELINE_SOURCE=merge_request_event \
      --variable IMPRIMATUR_DOWNLOAD_URL="$url"
    local status=$?
    cd "$root"
    return $status
  }
  timed "GitLab component pipeline (gitlab-ci-local, shell executor)" gitlab_pipeline
else
  echo "GitLab component pipeline: skipped (no $gcl; .ci/run installs it)"
fi

# 4. The pre-commit mirror: pre-commit creates the hook's environment and
#    installs the pinned wheel (the mirror's pyproject) from the local folder.
if command -v pre-commit >/dev/null 2>&1; then
  precommit_mirror() {
    local mirror=$work/mirror repo=$work/precommit
    mkdir -p "$mirror" "$repo"
    cp ci/pre-commit-mirror/.pre-commit-hooks.yaml ci/pre-commit-mirror/pyproject.toml "$mirror/"
    (cd "$mirror" && git init -q && git add -A && git -c user.name=A -c user.email=a@example.com commit -qm mirror && git tag "v$version")
    cd "$repo" && git init -q
    printf 'repos:\n  - repo: %s\n    rev: v%s\n    hooks:\n      - id: imprimatur\n' "$mirror" "$version" > .pre-commit-config.yaml
    printf 'rules: [builtin:claims]\n' > imprimatur.yml
    echo "# Page" > page.md
    git add -A
    PATH="$(dirname "$(command -v pre-commit)"):$clean_path" PRE_COMMIT_HOME="$work/pre-commit-home" \
      PIP_FIND_LINKS="$wheels" pre-commit run --all-files
    local status=$?
    cd "$root"
    return $status
  }
  timed "pre-commit mirror: first run (environment + wheel)" precommit_mirror
else
  echo "pre-commit mirror: skipped (pre-commit is not installed)"
fi
