#!/usr/bin/env bash
# scripts/snapshot-reports.sh DIR - the reports a restructuring must leave byte-identical, for
# fixed seeds: compare, check --mode any on both kernels, bench --seeds 3, explore --depth 5.
# Timing fields (wall clock) are dropped; everything else is kept as written.
# Use: scripts/snapshot-reports.sh /tmp/before; (change); scripts/snapshot-reports.sh /tmp/after;
#      diff -r /tmp/before /tmp/after
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/snapshot-reports.sh DIR}
rm -rf "$out" && mkdir -p "$out"
cli="node bin/irqcheck.js"
# timing is the one thing allowed to differ
strip() { node -e '
const drop = new Set(["timing", "ms", "medianMs", "cpuMs", "wallMs", "timeMs", "medianTimeMs", "timeToDetectMs", "medianMsToDetect"]);
const clean = (v) => Array.isArray(v) ? v.map(clean) : v && typeof v === "object"
  ? Object.fromEntries(Object.entries(v).filter(([k]) => !drop.has(k)).map(([k, x]) => [k, clean(x)])) : v;
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(JSON.stringify(clean(JSON.parse(s)), null, 2) + "\n"));'; }
$cli compare --seed 1 --out "$out/compare" --corpus none > "$out/compare.txt"
$cli check --kernel 5.10 --mode any --seed 1 --out "$out/any-5.10" --corpus none --json | strip > "$out/any-5.10.json"
$cli check --kernel 6.2 --mode any --seed 1 --out "$out/any-6.2" --corpus none --json | strip > "$out/any-6.2.json"
$cli explore --design per-device-msi --depth 5 --json | strip > "$out/explore-per-device-msi-5.json"
$cli explore --design rfc-v2-dev-msi --depth 5 --json | strip > "$out/explore-rfc-v2-dev-msi-5.json"
$cli bench --seeds 3 --out "$out/bench" --json | strip > "$out/bench.json"
# the bench's own files carry time-to-detect figures: keep the timing-free JSON only
rm -f "$out/bench/bench.md" "$out/bench/bench.json"
echo "snapshot in $out"
