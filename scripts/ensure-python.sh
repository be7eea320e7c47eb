#!/usr/bin/env bash
# The exported Keras and PyTorch code is run in tests by Debian's Python: its forward pass against
# numpy stand-ins for the two frameworks (tests/lib/keras/python-stand-ins), and its training by
# Debian's PyTorch (tests/lib/keras/pytorch.test.ts). Install them if missing.
set -euo pipefail

if python3 -c 'import numpy' 2> /dev/null && /usr/bin/python3 -c 'import numpy, torch' 2> /dev/null; then exit 0; fi
echo "setup: installing Debian's python3-numpy and python3-torch for the exported-code tests"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3 python3-numpy python3-torch > /dev/null
