#!/usr/bin/env bash
# scripts/reference-reports.sh - regenerate the committed example reports (examples/reports/)
# and keep every counterexample they find in the regression corpus (properties/corpus/).
# Maintainers run it after a model change (npm run reports:reference); it takes several minutes:
# each design counterexample is certified shortest with a 60,000-state exhaustive search.
# The bug benchmark (close to an hour on 2 cores) runs only with --with-bench; otherwise the
# committed examples/reports/bench.json is kept and shown in the HTML index.
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/reports
cli="node bin/irqcheck.js"
# the bench first: the HTML index compare writes shows the scoreboard in $out/bench.json
if [ "${1:-}" = "--with-bench" ]; then $cli bench --out "$out"; fi
# what the tool prints is kept too: the README's samples are these files (test/docs/readme.test.ts)
$cli compare --certify 60000 --out "$out" --corpus properties/corpus > "$out/compare.txt"
tmp=$(mktemp -d)
$cli check --design rfc-v2-dev-msi --only correct-ir-unit --certify 60000 --out "$tmp" > "$out/check-correct-ir-unit.txt" || true
rm -rf "$tmp"
$cli compare --kernel-model --out "$out/kernel-model" --corpus properties/corpus
echo "examples/reports regenerated"
