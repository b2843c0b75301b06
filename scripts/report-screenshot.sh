#!/usr/bin/env bash
# Renders the HTML report of fixtures/acme-site and takes a screenshot of it
# with headless Chromium: docs/report.png (1200 × 2400, the top of the page).
#
# The fixture lives inside this repository and has no history of its own, so
# the script copies it into a temporary repository and commits it the way
# the site could have grown over ten weeks (dates set on each commit): the
# marketing pages first, then the legal pages and their owners, the docs
# without owners and with one claim too many, the docs' owners and the fix,
# the blog and company pages, and last the careers page nobody owns. The
# last commit is the fixture exactly as it is. Approval trailers in the
# commit messages fill the approvals section.
#
# Usage: scripts/report-screenshot.sh [OUT.png]   (needs chromium and git)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/report.png}
command -v chromium >/dev/null 2>&1 || { echo "chromium is not installed: apt-get install -y chromium" >&2; exit 2; }
cargo build --quiet --manifest-path "$root/Cargo.toml"
bin=$root/target/debug/imprimatur
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixture=$root/fixtures/acme-site
site=$work/acme-site
mkdir -p "$site"
git -C "$site" init -q

# commit DATE MESSAGE [TRAILER]: commits everything at noon UTC of DATE.
commit() {
  git -C "$site" add -A
  GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
    git -C "$site" -c user.name="Carol Diaz" -c user.email=carol@acme.example \
    commit -q -m "$2" ${3:+-m "$3"}
}
# take PATH...: copies paths from the fixture as they are.
take() {
  for p in "$@"; do
    mkdir -p "$site/$(dirname "$p")"
    cp -R "$fixture/$p" "$site/$p"
  done
}
# owners PATTERN...: CODEOWNERS without the lines matching any PATTERN.
owners() {
  local args=()
  for p in "$@"; do args+=(-e "$p"); done
  mkdir -p "$site/.github"
  grep -v "${args[@]}" "$fixture/.github/CODEOWNERS" > "$site/.github/CODEOWNERS"
}

take imprimatur.yml rules .github/allowed_signers content/index.md content/pricing
owners '^/content/legal/' '^/content/docs/' '^/content/images/'
commit 2026-09-14 "Launch the marketing site"

take content/legal
owners '^/content/docs/' '^/content/images/'
commit 2026-09-28 "Terms and privacy policy" "Approved-by: Alice Ng <alice@acme.example>"

take content/docs content/images
printf '\nSetup is guaranteed to take five minutes.\n' >> "$site/content/docs/getting-started.md"
commit 2026-10-12 "Product documentation"

take .github/CODEOWNERS content/docs/getting-started.md
commit 2026-10-26 "Docs owned by @acme/docs; no guarantee of setup time" "Approved-by: Dave Okafor <dave@acme.example>"

take content/blog content/company
commit 2026-11-09 "Blog and investor pages" "Approved-by: Bob Martins <bob@acme.example>"

take content/careers.md README.md
commit 2026-11-23 "Careers page"
diff -r -x .git "$fixture" "$site" >/dev/null || { echo "the last commit differs from the fixture" >&2; exit 1; }

(cd "$site" && "$bin" report --format html --out "$work/report.html" --today 2026-11-30 --since 12w)
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/chromium" \
  --screenshot="$out" --window-size=1200,2400 "file://$work/report.html" 2>/dev/null
echo "wrote $out"
