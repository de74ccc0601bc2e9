#!/usr/bin/env bash
# Builds bench_model.cpp for bare-metal RV32IMC (GCC -O2, picolibc, semihosting) once per model and
# runs it under QEMU with -icount shift=0. Usage: run_rv32.sh [build-dir] [model...]
#   default build dir: build-perf-rv32 next to the source tree; default models: kws ic vww ad.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/build-perf-rv32}"
shift || true
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(kws ic vww ad)
mkdir -p "$out"

# The cross gcc ships no C++ headers: borrow the (target-independent) libstdc++ headers of the ARM
# toolchain; only header-only parts (<cstdint>, <array>, <utility>) are used.
cxx_inc=$(dirname "$(dpkg -L libstdc++-arm-none-eabi-dev | grep -m1 '/c++/[0-9.]*/cstdint$')")
flags=(-march=rv32imc -mabi=ilp32 -msave-restore -O2 -std=c++20 -Wall -Wextra -Werror -fno-exceptions -fno-rtti
       -fno-threadsafe-statics -nostdinc++ -isystem "$cxx_inc" -isystem "$cxx_inc/arm-none-eabi"
       -I "$root/include" --specs=picolibc.specs --crt0=semihost -nodefaultlibs
       # QEMU virt: RAM at 0x80000000; code and data both in RAM.
       -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x800000
       -Wl,--defsym=__ram=0x80800000 -Wl,--defsym=__ram_size=0x1000000)
status=0
for m in "${models[@]}"; do
  riscv64-unknown-elf-g++ "${flags[@]}" -DBENCH_MODEL="$m" "$here/bench_model.cpp" \
    -Wl,--start-group -lc -lsemihost -lgcc -Wl,--end-group -o "$out/bench_$m.elf"
  timeout 600 qemu-system-riscv32 -machine virt -bios none -icount shift=0 -nographic \
    -semihosting-config enable=on,target=native -kernel "$out/bench_$m.elf" 2>&1 | tee "$out/bench_$m.txt" || status=1
  echo
done
exit $status
