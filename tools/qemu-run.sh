#!/usr/bin/env bash
# Runs one bare-metal htvm firmware ELF under QEMU and exits with the firmware's own exit code
# (main's return value, passed through semihosting), or 124 when it did not finish in time.
#
#     tools/qemu-run.sh <rv32|m4> <firmware.elf> [timeout-seconds, default 300]
#
# Firmware output (semihosting) and QEMU's own messages both go to standard output.
# -icount shift=0 makes QEMU count one instruction per nanosecond of virtual time: runs and the
# counters the firmware reads (mcycle, SysTick) are deterministic, independent of the host's speed.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 <rv32|m4> <firmware.elf> [timeout-seconds]" >&2
  exit 2
fi
arch=$1
elf=$2
limit=${3:-300}

case "$arch" in
  rv32) qemu=(qemu-system-riscv32 -machine virt -bios none) ;;
  m4) qemu=(qemu-system-arm -M mps2-an386) ;;
  *) echo "qemu-run: unknown architecture '$arch' (rv32 or m4)" >&2; exit 2 ;;
esac
if [ ! -f "$elf" ]; then
  echo "qemu-run: no firmware at '$elf'" >&2
  exit 2
fi
if ! command -v "${qemu[0]}" >/dev/null; then
  echo "qemu-run: ${qemu[0]} not found; install qemu-system-misc and qemu-system-arm (tools/setup-debian.sh)" >&2
  exit 2
fi

# The semihosting console writes to QEMU's standard error; merge it into standard output.
# `timeout` ends a hung firmware (status 124); --kill-after covers a QEMU that ignores SIGTERM.
status=0
timeout --kill-after=5 "$limit" "${qemu[@]}" -nographic -monitor none -serial none -icount shift=0 \
  -semihosting-config enable=on,target=native -kernel "$elf" 2>&1 || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "qemu-run: '$elf' did not finish within ${limit}s (timeout)" >&2
  exit 124
fi
exit "$status"
