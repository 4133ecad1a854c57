#!/usr/bin/env bash
# scripts/ensure-chromium.sh - npm's pretest: the HTML report's browser tests drive Debian's
# chromium through playwright-core (never a downloaded browser). Install it when it is missing
# and we may; otherwise say in one line what to do. Never fails the run itself: the browser
# test then fails with the same advice.
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "irqcheck: installing Debian's chromium for the browser tests (apt-get install chromium)" >&2
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then exit 0; fi
  echo "irqcheck: apt-get could not install chromium: the browser tests will fail" >&2
else
  echo "irqcheck: no browser at $chromium: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH), else the browser tests fail" >&2
fi
exit 0
