#!/usr/bin/env bash
# Installs everything htvm's build, tests and bare-metal runs need on Debian 12, from Debian's
# packages. Idempotent: does nothing when all packages are present. Run as root (or with sudo).
set -euo pipefail

packages=(
  cmake make g++ clang                        # host build; clang++ for the -Werror portability check
  doctest-dev libeigen3-dev                   # tests and the independent reference
  libflatbuffers-dev flatbuffers-compiler     # the .tflite importer
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf               # RV32 firmware
  gcc-arm-none-eabi libstdc++-arm-none-eabi-dev libstdc++-arm-none-eabi-picolibc picolibc-arm-none-eabi  # Cortex-M
  qemu-system-misc qemu-system-arm            # run the firmware
  python3                                     # benchmark tables and plots
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
