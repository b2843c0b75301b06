#!/usr/bin/env bash
# Installs imprimatur for the GitHub Action (and the GitLab templates, which
# inline this script): the release binary for the runner, checked against its
# published SHA-256, from the release the action is pinned to (ACTION_REF, a
# tag like v0.1.0) or INPUT_VERSION. Builds from the action's own checkout
# (ACTION_PATH) only as a fallback (a branch or commit pin, a platform with
# no release binary, a release not published); never from crates.io by name.
# An imprimatur already in the install folder (the cache) or on PATH is used
# as it is.
#
# Environment: INPUT_VERSION (0.1.0 or v0.1.0), INPUT_PATH (build this source
# folder instead), ACTION_REF and ACTION_PATH (the action's ref and
# checkout), RUNNER_OS and RUNNER_ARCH (else uname), RUNNER_TEMP,
# GITHUB_PATH (the install folder is appended to it), IMPRIMATUR_INSTALL_DIR
# (default ~/.imprimatur/bin; the action caches it), IMPRIMATUR_DOWNLOAD_URL
# (the releases' download base, default GitHub's).
# Exit status: 0 installed; 1 refused (checksum mismatch) or impossible.
set -euo pipefail

base_url=${IMPRIMATUR_DOWNLOAD_URL:-https://github.com/imprimatur/imprimatur/releases/download}
install_dir=${IMPRIMATUR_INSTALL_DIR:-$HOME/.imprimatur/bin}
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imprimatur-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

say() { echo "imprimatur install: $*" >&2; }

# Puts the install folder on PATH for this step and, through GITHUB_PATH,
# for the steps after it.
publish_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$install_dir" >> "$GITHUB_PATH"; fi
  export PATH="$install_dir:$PATH"
}

# The Rust target triple of the release archive for this runner, or nothing.
release_target() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64 | Linux/amd64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64 | Darwin/aarch64) echo aarch64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) echo x86_64-pc-windows-msvc ;;
  esac
}

# The release tag to download: `version:`, else the action's ref when it is a
# release tag (v1.2.3); nothing for a branch or commit pin.
release_tag() {
  if [ -n "${INPUT_VERSION:-}" ]; then
    echo "v${INPUT_VERSION#v}"
  elif [[ ${ACTION_REF:-} =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$ ]]; then
    echo "$ACTION_REF"
  fi
}

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl --silent --show-error --fail --location --retry 3 --output "$2" "$1"
  else
    wget --quiet --output-document "$2" "$1"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# Builds from a source folder with cargo (the fallback, or `path:`).
build_from() {
  local src=$1 why=$2
  if [ -z "$src" ]; then
    say "$why; there is no source checkout to build from"
    exit 1
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    say "$why, and cargo is not installed to build from $src"
    exit 1
  fi
  say "$why; building from $src"
  cargo install --locked --root "$tmp/cargo" --path "$src"
  mkdir -p "$install_dir"
  cp "$tmp/cargo/bin/imprimatur"* "$install_dir/"
}

finish() {
  publish_path
  say "installed $(command -v imprimatur) ($(imprimatur --version))"
}

if [ -n "${INPUT_PATH:-}" ]; then
  build_from "$INPUT_PATH" "path: $INPUT_PATH"
  finish
  exit 0
fi
for found in "$install_dir/imprimatur" "$install_dir/imprimatur.exe"; do
  if [ -x "$found" ]; then
    publish_path
    say "using the cached $found ($("$found" --version))"
    exit 0
  fi
done
if command -v imprimatur >/dev/null 2>&1; then
  say "using $(command -v imprimatur) ($(imprimatur --version))"
  exit 0
fi

tag=$(release_tag)
target=$(release_target)
if [ -z "$tag" ]; then
  build_from "${ACTION_PATH:-}" "the action is pinned to ${ACTION_REF:-no release tag}, not a release"
  finish
  exit 0
fi
if [ -z "$target" ]; then
  build_from "${ACTION_PATH:-}" "no release binary for this platform (${RUNNER_OS:-$(uname -s)} ${RUNNER_ARCH:-$(uname -m)})"
  finish
  exit 0
fi

case "$target" in
  *windows*) ext=zip ;;
  *) ext=tar.gz ;;
esac
name="imprimatur-lint-$target"
archive="$tmp/$name.$ext"
url="$base_url/$tag/$name.$ext"
say "downloading $url"
if ! fetch "$url" "$archive" || ! fetch "$url.sha256" "$tmp/sum"; then
  build_from "${ACTION_PATH:-}" "release $tag has no $name.$ext"
  finish
  exit 0
fi
want=$(cut -d ' ' -f 1 < "$tmp/sum" | tr -d '\r\n')
got=$(sha256_of "$archive")
if [ "$want" != "$got" ]; then
  # A mismatch is never papered over with a build: something is wrong.
  say "checksum mismatch for $name.$ext: the release says $want, the download is $got; refusing to install"
  exit 1
fi
mkdir -p "$tmp/unpack" "$install_dir"
case "$ext" in
  zip) unzip -q "$archive" -d "$tmp/unpack" ;;
  *) tar -xzf "$archive" -C "$tmp/unpack" ;;
esac
found=$(find "$tmp/unpack" -type f \( -name imprimatur -o -name imprimatur.exe \) | head -n 1)
if [ -z "$found" ]; then
  say "$name.$ext holds no imprimatur binary"
  exit 1
fi
cp "$found" "$install_dir/"
chmod +x "$install_dir/$(basename "$found")"
finish
