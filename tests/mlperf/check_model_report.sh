#!/usr/bin/env bash
# The compile report of an imported model (htvm_add_model's <target>_report), checked against the
# importer's header it was built from:
#
#     check_model_report.sh <report program> <generated header> <work dir>
#
#  - it prints the four policies and writes the SVG picture of the L2 plan;
#  - the constants it counts (cpu_only: every array stays as imported) equal the bytes of the
#    header's constant arrays, summed here from their declarations (element count x element size);
#  - every layer appears under its full name;
#  - under the mixed policy, every conv2d / depthwise / dense layer left on the CPU names the rules of
#    the digital accelerator it breaks, all of them: each of these layers (every one is TFLite-
#    quantized) names DIANA's requantization, TFLite's multiplier-and-shift not being DIANA's
#    shift-and-clip, even where another rule is broken first (kws's first conv: its 10x4 kernel).
# grep -q reads from here-strings, never from a pipe: under pipefail, a writer that grep -q leaves
# behind as soon as it matches dies of SIGPIPE, and the check fails at random.
set -uo pipefail
program=$1 header=$2 work=$3
mkdir -p "$work"
report=$work/report.txt svg=$work/l2_plan.svg
rm -f "$svg"
fail() { echo "FAIL: $*"; status=1; }
status=0

"$program" "$svg" >"$report" 2>&1 || { code=$?; cat "$report"; echo "FAIL: $program exited with $code"; exit 1; }
for policy in cpu_only digital analog mixed; do
  grep -q "^htvm compile report: policy $policy, " "$report" || fail "no report for policy $policy"
done
if [ ! -s "$svg" ] || [ "$(head -c 4 "$svg")" != '<svg' ] || ! grep -q '</svg>' <<<"$(tail -n 1 "$svg")"; then
  fail "no complete SVG picture at $svg"
fi

# Constant arrays of the header: 'inline constexpr std::int8_t name[count]' (int32_t: 4 bytes each).
expected=0
while read -r type count; do
  size=1; [ "$type" = int32_t ] && size=4
  expected=$((expected + count * size))
done < <(grep -oE '^(alignas\([0-9]+\) )?inline constexpr std::(int8_t|int32_t) [A-Za-z_][A-Za-z0-9_]*\[[0-9]+\]' "$header" |
         sed -E 's/.*std::(int8_t|int32_t) [A-Za-z_0-9]+\[([0-9]+)\]/\1 \2/')
cpu_only=$(sed -n '/policy cpu_only,/,/policy digital,/p' "$report")
counted=$(echo "$cpu_only" | sed -nE 's/.*constants ([0-9]+) B.*/\1/p')
echo "constant arrays in the header: $expected bytes; the report counts ${counted:-nothing}"
[ "$expected" -gt 0 ] || fail "no constant arrays found in $header"
[ "${counted:-x}" = "$expected" ] || fail "the report counts ${counted:-no} constant bytes, the header holds $expected"

names=$(grep -oE '\.name = "[^"]+"' "$header" | sed -E 's/.name = "(.*)"/\1/')
[ -n "$names" ] || fail "no layer names found in $header"
for name in $names; do
  grep -qE "^ *[0-9]+  $name +[a-z_0-9]+ " <<<"$cpu_only" || fail "layer $name is not in the cpu_only table under its full name"
done

mixed=$(sed -n '/policy mixed,/,$p' "$report")
why=$(echo "$mixed" | sed -n '/^on the CPU, and why/,$p')
[ -n "$why" ] || fail "the mixed report does not say why layers stay on the CPU"
computing=$(echo "$mixed" | grep -E '^ *[0-9]+  [^ ]+ +(conv2d|depthwise_conv2d|dense) +cpu ' | awk '{print $2}')
for name in $computing; do
  grep -qE "^ *[0-9]+  $name +digital: [a-z]" <<<"$why" ||
    fail "$name is on the CPU under mixed, but the report does not name the digital accelerator's rule it breaks"
  # The layer's lines: its own, then the indented ones up to the next layer's.
  rules=$(echo "$why" | awk -v name="$name" '$1 ~ /^[0-9]+$/ { mine = ($2 == name) } mine')
  grep -q "digital: needs DIANA requantization" <<<"$rules" ||
    fail "$name is TFLite-quantized, but its reasons do not include DIANA's requantization rule: $rules"
done
echo "mixed: $(echo "$computing" | grep -c .) conv/depthwise/dense layers on the CPU, each with its reason"
[ "$status" -eq 0 ] && echo "report of $(basename "$program") checked"
exit "$status"
