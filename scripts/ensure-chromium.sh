#!/usr/bin/env bash
# End-to-end tests drive Debian's Chromium (playwright-core downloads no browser): install it if missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "setup: installing Debian's chromium for the end-to-end tests"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core > /dev/null
