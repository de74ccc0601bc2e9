#!/usr/bin/env bash
# Firmware discipline, part 1: what no firmware ELF may link.
#
#     test_firmware_symbols.sh <nm> <bare-metal build tree>
#
# Reads every firmware target from <build tree>/htvm-firmware.tsv and lists the symbols of its ELF
# with the cross `nm`. Two rules:
#  heap    the C heap (malloc, free, calloc, realloc, ... and picolibc's sbrk), C++ operator
#          new/delete in all their manglings (_Znwj, _Znaj, _ZdlPv, _ZdaPv, ...), and the exception
#          machinery (__cxa_allocate_exception, __cxa_throw, __cxa_begin_catch, __gxx_personality*,
#          _Unwind_*, Arm's EHABI personality routines __aeabi_unwind_cpp_pr*);
#  record  the network record: an object named `net` (every program here names its
#          htvm::network so), or a platform's table of layer forms named `forms` (the DIANA
#          examples'). Both are read only at compile time; a run-time read links them, and every
#          weight array they point to (all layouts of every layer) with them.
# A target whose HTVM_FIRMWARE_EXPECT_VIOLATION property names a rule breaks it on purpose and must
# be flagged for it: that proves the check can fail.
set -uo pipefail
nm=$1
dir=$2
forbidden='^(malloc|free|calloc|realloc|reallocarray|memalign|aligned_alloc|posix_memalign|valloc|pvalloc|cfree|sbrk|_sbrk|_malloc_r|_free_r|_calloc_r|_realloc_r|_Zn[wa].*|_Zd[la].*|__cxa_allocate_exception|__cxa_free_exception|__cxa_throw|__cxa_rethrow|__cxa_begin_catch|__cxa_end_catch|__gxx_personality.*|_Unwind_.*|__aeabi_unwind_cpp_pr.*)$'

[ -f "$dir/htvm-firmware.tsv" ] || { echo "FAIL: no $dir/htvm-firmware.tsv (did qemu_build fail?)"; exit 1; }
status=0 checked=0 flagged_heap=0 flagged_record=0

# check <target> <rule> <what was found> <expected violation> <ok text>
check() {
  local target=$1 rule=$2 found=$3 expected=$4 ok_text=$5
  if [ "$expected" = "$rule" ]; then
    if [ -n "$found" ]; then
      echo "ok:   $target breaks the $rule rule on purpose and is flagged: $found"
      eval "flagged_$rule=1"
    else
      echo "FAIL: $target breaks the $rule rule on purpose, but the check found nothing"
      status=1
    fi
  elif [ -n "$found" ]; then
    echo "FAIL: $target breaks the $rule rule: $found"
    status=1
  else
    echo "ok:   $target: $ok_text"
  fi
}

while IFS=$'\t' read -r target elf _objects expected; do
  [ -n "$target" ] || continue
  if grep -qxF "$target" "$dir/htvm-firmware-failed.txt" 2>/dev/null || [ ! -f "$elf" ]; then
    echo "FAIL: $target: not built, nothing to inspect"
    status=1
    continue
  fi
  case "$expected" in
    ""|heap|record) ;;
    *) echo "FAIL: $target: HTVM_FIRMWARE_EXPECT_VIOLATION is '$expected', not heap or record"; status=1 ;;
  esac
  symbols=$("$nm" --format=posix "$elf" | awk '{ print $1 }')
  count=$(echo "$symbols" | wc -l)
  checked=$((checked + 1))
  heap=$(echo "$symbols" | grep -E "$forbidden" | sort -u | tr '\n' ' ')
  check "$target" heap "$heap" "$expected" "none of its $count symbols allocates or unwinds"
  # Demangled objects (names may contain spaces: "(anonymous namespace)::net"); constants linked
  # into the text section are listed as t/T.
  record=$("$nm" -C "$elf" | awk 'NF >= 3 && $2 ~ /^[bBdDgGrRsStTvV]$/ { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' |
    grep -E '(^|::)(net|forms)$' | sort -u | tr '\n' ' ')
  check "$target" record "$record" "$expected" "no network record"
done <"$dir/htvm-firmware.tsv"
[ "$checked" -gt 0 ] || { echo "FAIL: no firmware ELF inspected"; exit 1; }
# The negative cases must be among the programs, or the checks are not proven to fail.
[ "$flagged_heap" = 1 ] || { echo "FAIL: no program breaks the heap rule on purpose (firmware_smoke_heap)"; status=1; }
[ "$flagged_record" = 1 ] || { echo "FAIL: no program breaks the record rule on purpose (firmware_smoke_record)"; status=1; }
exit "$status"
