# One MLPerf Tiny program against the reference files, through its command line:
#   seedK.in -> --output must equal seedK.out (K = 1..3), and for seed 1 --dump-tensors must match
#   seed1.tensors.txt on every tensor (activations and weights, TFLite tensor indices).
# -DPROGRAM=<mlperf_tiny_x> -DCOMPARE=<mlperf_compare_tensors> -DGOLDEN=<golden/x> -DWORK=<scratch dir>
file(MAKE_DIRECTORY "${WORK}")
foreach(seed 1 2 3)
  set(args --input "${GOLDEN}/seed${seed}.in" --output "${WORK}/seed${seed}.out")
  if(seed EQUAL 1)
    list(APPEND args --dump-tensors "${WORK}/seed1.tensors.txt")
  endif()
  file(REMOVE "${WORK}/seed${seed}.out")
  execute_process(COMMAND "${PROGRAM}" ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${args} failed (${status}):\n${out}${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${WORK}/seed${seed}.out" "${GOLDEN}/seed${seed}.out"
                  RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "seed ${seed}: the output differs from ${GOLDEN}/seed${seed}.out")
  endif()
  message(STATUS "seed ${seed}: output bit-exact")
endforeach()
execute_process(COMMAND "${COMPARE}" "${GOLDEN}/seed1.tensors.txt" "${WORK}/seed1.tensors.txt"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "seed 1: intermediate tensors differ from the reference")
endif()
