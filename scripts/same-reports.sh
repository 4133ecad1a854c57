#!/usr/bin/env bash
# scripts/same-reports.sh BEFORE AFTER - diff two snapshots of scripts/snapshot-reports.sh,
# with source-path mentions of moved files mapped to their new places first (a move is not a
# behaviour change). Prints the remaining differences; exit 0 when there are none.
set -uo pipefail
before=${1:?usage: scripts/same-reports.sh BEFORE AFTER}
after=${2:?usage: scripts/same-reports.sh BEFORE AFTER}
norm=$(mktemp -d)
cp -r "$before" "$norm/before"
# old path -> new path (the layout change of issue 12)
find "$norm/before" -type f -print0 | xargs -0 sed -i -E \
  -e 's#src/engine/(op-specs|dsa-op-specs|ioapic-op-specs|choices|handles|workload)\.ts#src/generate/\1.ts#g' \
  -e 's#src/engine/(run|check|check-worker|campaign|replay)\.ts#src/run/\1.ts#g' \
  -e 's#src/engine/(explore|explore-args|fingerprint|certify|hybrid)\.ts#src/search/\1.ts#g' \
  -e 's#src/engine/load-design\.ts#src/load/load-design.ts#g' \
  -e "s#$before#$after#g"
cp -r "$after" "$norm/after"
# wall-clock figures are the one thing allowed to differ
find "$norm" -type f -name '*.json' -print0 | xargs -0 sed -i -E '/"[a-zA-Z]*(Ms|ms|Seconds|seconds)[a-zA-Z]*": /d'
if diff -r "$norm/before" "$norm/after"; then echo "same reports"; rm -rf "$norm"; exit 0; fi
rm -rf "$norm"; exit 1
