#!/usr/bin/env bash
# The README's bare-metal step: compile a real model for RV32 (DIANA's host ISA), run it under QEMU
# and print its per-layer profile (mcycle/minstret per layer). Same arguments as run-firmware.sh
# after the architecture:
#
#     tools/run-rv32.sh [target] [-- extra cmake configure options]
exec "$(dirname "$0")/run-firmware.sh" rv32 "$@"
