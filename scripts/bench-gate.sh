#!/usr/bin/env bash
# Times `imprimatur gate` on a range of COMMITS commits touching FILES files
# (default 1,000 and 10,000), built with git fast-import in a temp dir.
# Usage: scripts/bench-gate.sh [COMMITS] [FILES]   (uses target/release/imprimatur)
set -euo pipefail
COMMITS=${1:-1000}
FILES=${2:-10000}
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/imprimatur}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cd "$DIR"
git init -q
python3 - "$COMMITS" "$FILES" <<'PY' | git fast-import --quiet
import sys
commits, files = int(sys.argv[1]), int(sys.argv[2])
people = ["alice", "bob", "carol", "dave"]
def blob(text):
    data = text.encode()
    return f"data {len(data)}\n".encode() + data + b"\n"
out = sys.stdout.buffer
config = ("rules: [builtin:claims, builtin:brand]\n"
          "people:\n" + "".join(f"  {p}: {{emails: [{p}@acme.example], handles: [{p}]}}\n" for p in people) +
          "teams: {\"@acme/legal\": [alice], \"@acme/docs\": [bob, carol]}\n"
          "owners: {required: true}\n"
          "approvals:\n  trailer_trust: author\n  policies:\n"
          "    - {name: legal-signoff, paths: [\"content/legal/**\"], require: 1, from: [\"@acme/legal\"]}\n")
def commit(n, who, message, changes, parent):
    out.write(f"commit refs/heads/main\nmark :{n}\nauthor {who} <{who}@acme.example> {1700000000 + n} +0000\n"
              f"committer {who} <{who}@acme.example> {1700000000 + n} +0000\n".encode())
    out.write(blob(message))
    if parent:
        out.write(f"from :{parent}\n".encode())
    for path, text in changes:
        out.write(f"M 100644 inline {path}\n".encode() + blob(text))
    out.write(b"\n")
def page(i, rev):
    area = "legal" if i % 50 == 0 else f"docs/s{i % 97}"
    return f"content/{area}/page{i}.md", f"---\ntitle: Page {i}\n---\n# Page {i}\n\nRevision {rev} of a page about Github and the product.\n"
initial = [("imprimatur.yml", config), (".github/CODEOWNERS", "/content/ @acme/docs\n/content/legal/ @acme/legal\n")]
initial += [page(i, 0) for i in range(files)]
commit(1, "carol", "initial\n", initial, None)
out.write(b"reset refs/heads/base\nfrom :1\n\n")
per = max(1, files // commits)
for c in range(commits):
    who = people[1 + c % 3]
    changes = [page((c * per + k) % files, c + 1) for k in range(per)]
    msg = f"change {c}\n" + ("\nApproved-by: alice\n" if c % 10 == 9 else "")
    commit(c + 2, who, msg, changes, c + 1)
PY
git checkout -q main
echo "repository: $COMMITS commits, $FILES files changed; $(git rev-list --count base..main) commits in range"
for run in 1 2 3; do
  /usr/bin/time -f "gate run $run: %e s wall, %M KB peak" "$BIN" gate --base base --format json > /dev/null || true
done
