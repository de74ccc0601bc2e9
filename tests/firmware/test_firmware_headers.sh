#!/usr/bin/env bash
# Firmware discipline, part 3: every header under include/htvm compiles on its own, warning-free
# (-Wall -Wextra -Werror), without exceptions or RTTI, with the given compiler.
#
#     test_firmware_headers.sh <include-dir> <compiler> [flags...]
#     test_firmware_headers.sh <include-dir> @<file holding "compiler flags...">
#
# The @file form takes the bare-metal compiler and its flags from a cross build tree
# (htvm-firmware-compiler.txt, written by cmake/HtvmFirmware.cmake), so that the same headers are
# also checked against picolibc and the cross compilers.
set -uo pipefail
include=$1
shift
if [ "${1:0:1}" = "@" ]; then
  file=${1:1}
  [ -f "$file" ] || { echo "FAIL: no compiler description $file (did the bare-metal configure fail?)"; exit 1; }
  read -r -a compiler <"$file"
else
  compiler=("$@")
fi
command -v "${compiler[0]}" >/dev/null || { echo "FAIL: compiler ${compiler[0]} not found"; exit 1; }

mapfile -t headers < <(cd "$include" && find htvm -name '*.hpp' | LC_ALL=C sort)
[ "${#headers[@]}" -gt 0 ] || { echo "FAIL: no headers under $include/htvm"; exit 1; }
echo "compiler: ${compiler[*]}"
status=0
for h in "${headers[@]}"; do
  if out=$(printf '#include <%s>\n' "$h" | "${compiler[@]}" -std=c++20 -Wall -Wextra -Werror -fno-exceptions -fno-rtti \
      -fsyntax-only -I"$include" -x c++ - 2>&1); then
    echo "ok:   $h"
  else
    echo "FAIL: $h"
    echo "$out" | head -n 30 | sed 's/^/    /'
    status=1
  fi
done
echo "${#headers[@]} headers checked"
exit "$status"
