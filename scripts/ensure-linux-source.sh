#!/usr/bin/env bash
# scripts/ensure-linux-source.sh - `npm run conformance` reads the real kernel sources from
# Debian's linux-source packages (/usr/src/linux-source-<v>.tar.xz; never committed). Install the
# missing ones when we are root and apt works; otherwise say in one line what to do. Never fails:
# the conformance run then skips that kernel with a line of its own.
for v in "$@"; do
  [ -f "/usr/src/linux-source-$v.tar.xz" ] && continue
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "irqcheck: installing Debian's linux-source-$v for the conformance run (apt-get install linux-source-$v)" >&2
    if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "linux-source-$v"; } >/dev/null 2>&1; then continue; fi
    echo "irqcheck: apt-get could not install linux-source-$v: conformance skips that kernel" >&2
  else
    echo "irqcheck: no /usr/src/linux-source-$v.tar.xz: run 'sudo apt-get install linux-source-$v' for the conformance run" >&2
  fi
done
exit 0
