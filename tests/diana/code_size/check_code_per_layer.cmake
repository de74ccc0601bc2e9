# cmake -DCXX=<compiler> -DSIZE=<size> -DNM=<nm> -DSOURCE_DIR=<htvm source> -DWORK=<dir> -DBOUND=<bytes>
#       -P check_code_per_layer.cmake
#
# DIANA's code is shared by geometry (issue #23): layers with the same tile plan call one copy of the
# tile code, each with a small constant of its own. This compiles two residual networks of repeated
# blocks, 64 and 128 layers (the same three accelerator geometries and the same add: the longer one
# has 16 more blocks), for the digital policy with -O2, and fails
#  - when the object's code and data (`size`: text + data) grow by more than BOUND bytes per added
#    layer (per-layer tile code, as before the fix, costs about 2,000 B a layer);
#  - when the longer network has more instances of the tile code (target::digital_tiles, not inlined)
#    or of the schedule walk than the shorter one, or more than its three distinct tile plans.
# It measures bytes, never time.
foreach(var CXX SIZE NM SOURCE_DIR WORK BOUND)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_code_per_layer.cmake: -D${var}=... is required")
  endif()
endforeach()
include(${SOURCE_DIR}/tests/scale/generate_network.cmake)
file(MAKE_DIRECTORY ${WORK})

function(measure layers out_total out_tiles out_walks)
  set(header ${WORK}/code_size_${layers}.hpp)
  htvm_generate_scale_network(${header} code_size_${layers} ${layers} residual)
  set(object ${WORK}/code_size_${layers}.o)
  file(REMOVE ${object})
  execute_process(
    COMMAND ${CXX} -std=c++20 -O2 -c -I${SOURCE_DIR}/include "-DHTVM_CODE_SIZE_HEADER=\"${header}\""
            -DHTVM_CODE_SIZE_NS=code_size_${layers} ${SOURCE_DIR}/tests/diana/code_size/code_size_tu.cpp -o ${object}
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "FAIL: the ${layers}-layer network does not compile for DIANA:\n${output}")
  endif()
  # Berkeley format: text data bss dec hex filename
  execute_process(COMMAND ${SIZE} ${object} RESULT_VARIABLE status OUTPUT_VARIABLE sizes)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "FAIL: ${SIZE} ${object} failed")
  endif()
  string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" row "${sizes}")
  if(NOT row)
    message(FATAL_ERROR "FAIL: cannot read the output of ${SIZE}:\n${sizes}")
  endif()
  math(EXPR total "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
  set(text ${CMAKE_MATCH_1})
  set(data ${CMAKE_MATCH_2})
  # Defined functions: one digital_tiles<plan, arranged> per geometry (never inlined), and the
  # schedule walks (walk_schedule and its single- / double-buffered halves, each inlined or not as
  # the compiler likes, but never more than one per geometry).
  execute_process(COMMAND ${NM} --defined-only -C ${object} RESULT_VARIABLE status OUTPUT_VARIABLE symbols)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "FAIL: ${NM} ${object} failed")
  endif()
  string(REGEX MATCHALL "[ \t][TtWw] [^\n]*::digital_tiles<" tiles "${symbols}")
  list(LENGTH tiles tile_count)
  string(REGEX MATCHALL "[ \t][TtWw] [^\n]*walk_[a-z_]*<" walks "${symbols}")
  list(LENGTH walks walk_count)
  message(STATUS "${layers} layers: text ${text} B + data ${data} B = ${total} B; "
                 "${tile_count} digital_tiles and ${walk_count} schedule walk instance(s)")
  set(${out_total} ${total} PARENT_SCOPE)
  set(${out_tiles} ${tile_count} PARENT_SCOPE)
  set(${out_walks} ${walk_count} PARENT_SCOPE)
endfunction()

measure(64 small small_tiles small_walks)
measure(128 large large_tiles large_walks)
math(EXPR per_layer "(${large} - ${small}) / 64")
message(STATUS "growth: ${per_layer} B per added layer (bound ${BOUND} B)")
set(failed FALSE)
if(per_layer GREATER BOUND)
  message(SEND_ERROR "FAIL: DIANA code grows by ${per_layer} B per layer (bound ${BOUND} B): "
                     "the accelerator code is no longer shared by geometry")
  set(failed TRUE)
endif()
if(small_tiles LESS 1)
  message(SEND_ERROR "FAIL: no digital_tiles instance found: the check no longer sees the tile code")
  set(failed TRUE)
endif()
if(NOT large_tiles EQUAL small_tiles OR large_tiles GREATER 3 OR NOT large_walks EQUAL small_walks OR large_walks GREATER 3)
  message(SEND_ERROR "FAIL: ${small_tiles} digital_tiles and ${small_walks} schedule walk instances for 64 layers, "
                     "${large_tiles} and ${large_walks} for 128 (expected the same numbers, at most 3 each: one per "
                     "distinct tile plan)")
  set(failed TRUE)
endif()
if(NOT failed)
  message(STATUS "PASS")
endif()
