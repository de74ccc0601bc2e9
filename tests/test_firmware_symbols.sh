#!/usr/bin/env bash
# Firmware discipline, part 1: nothing that allocates or unwinds is linked into any firmware ELF.
#
#     test_firmware_symbols.sh <nm> <bare-metal build tree>
#
# Reads every firmware target from <build tree>/htvm-firmware.tsv and lists the symbols of its ELF
# with the cross `nm`. Forbidden: the C heap (malloc, free, calloc, realloc, ... and picolibc's
# sbrk), C++ operator new/delete in all their manglings (_Znwj, _Znaj, _ZdlPv, _ZdaPv, ...), and the
# exception machinery (__cxa_allocate_exception, __cxa_throw, __cxa_begin_catch, __gxx_personality*,
# _Unwind_*, Arm's EHABI personality routines __aeabi_unwind_cpp_pr*).
# A target whose HTVM_FIRMWARE_EXPECT_VIOLATION property is ON breaks the rule on purpose and must
# be flagged: that proves the check can fail.
set -uo pipefail
nm=$1
dir=$2
forbidden='^(malloc|free|calloc|realloc|reallocarray|memalign|aligned_alloc|posix_memalign|valloc|pvalloc|cfree|sbrk|_sbrk|_malloc_r|_free_r|_calloc_r|_realloc_r|_Zn[wa].*|_Zd[la].*|__cxa_allocate_exception|__cxa_free_exception|__cxa_throw|__cxa_rethrow|__cxa_begin_catch|__cxa_end_catch|__gxx_personality.*|_Unwind_.*|__aeabi_unwind_cpp_pr.*)$'

[ -f "$dir/htvm-firmware.tsv" ] || { echo "FAIL: no $dir/htvm-firmware.tsv (did qemu_build fail?)"; exit 1; }
status=0 checked=0
while IFS=$'\t' read -r target elf _objects expect_violation; do
  [ -n "$target" ] || continue
  if grep -qxF "$target" "$dir/htvm-firmware-failed.txt" 2>/dev/null || [ ! -f "$elf" ]; then
    echo "FAIL: $target: not built, nothing to inspect"
    status=1
    continue
  fi
  symbols=$("$nm" --format=posix "$elf" | awk '{ print $1 }')
  count=$(echo "$symbols" | wc -l)
  found=$(echo "$symbols" | grep -E "$forbidden" | sort -u | tr '\n' ' ')
  checked=$((checked + 1))
  if [ "$expect_violation" = "1" ]; then
    if [ -n "$found" ]; then
      echo "ok:   $target breaks the rule on purpose and is flagged: $found"
    else
      echo "FAIL: $target links malloc on purpose, but the check found nothing in its $count symbols"
      status=1
    fi
  elif [ -n "$found" ]; then
    echo "FAIL: $target links forbidden symbols: $found"
    status=1
  else
    echo "ok:   $target: none of its $count symbols allocates or unwinds"
  fi
done <"$dir/htvm-firmware.tsv"
[ "$checked" -gt 0 ] || { echo "FAIL: no firmware ELF inspected"; exit 1; }
exit "$status"
