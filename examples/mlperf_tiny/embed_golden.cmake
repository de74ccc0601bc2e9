# cmake -DOUTPUT=<header> -DSOURCE=<model file name> -DFILES=<seed1.out;seed2.out;...> -P embed_golden.cmake
# Writes the reference outputs as a C++ header (mlperf_tiny::golden), so that the programs can check
# themselves without files (also on bare metal).
set(rows "")
set(bytes -1)
list(LENGTH FILES count)
foreach(file IN LISTS FILES)
  file(READ "${file}" hex HEX)
  string(LENGTH "${hex}" digits)
  math(EXPR size "${digits} / 2")
  if(bytes EQUAL -1)
    set(bytes ${size})
  elseif(NOT bytes EQUAL size)
    message(FATAL_ERROR "${file} has ${size} bytes, the others ${bytes}")
  endif()
  string(REGEX MATCHALL ".." pairs "${hex}")
  set(values "")
  foreach(pair IN LISTS pairs)
    math(EXPR v "0x${pair}")
    if(v GREATER 127)
      math(EXPR v "${v} - 256")
    endif()
    string(APPEND values "${v},")
  endforeach()
  string(APPEND rows "    {${values}},\n")
endforeach()
file(WRITE "${OUTPUT}.partial" "// Generated from the MLPerf Tiny golden outputs by embed_golden.cmake. Do not edit.
#pragma once
#include <cstdint>

namespace mlperf_tiny::golden {
inline constexpr const char* source = \"${SOURCE}\";
inline constexpr int pair_count = ${count};  // seeds 1..pair_count
inline constexpr int output_bytes = ${bytes};
inline constexpr std::int8_t outputs[${count}][${bytes}] = {
${rows}};
}  // namespace mlperf_tiny::golden
")
file(RENAME "${OUTPUT}.partial" "${OUTPUT}")
