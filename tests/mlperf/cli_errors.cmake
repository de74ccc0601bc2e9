# Bad command lines and wrong-size inputs give a clear message and a non-zero status.
# -DPROGRAM=<mlperf_tiny_x> -DWORK=<scratch dir> -DINPUT_BYTES=<n>
file(MAKE_DIRECTORY "${WORK}")
function(expect_failure expected_status pattern)
  execute_process(COMMAND "${PROGRAM}" ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL expected_status)
    message(FATAL_ERROR "'${ARGN}': status ${status}, expected ${expected_status}:\n${out}${err}")
  endif()
  if(NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "'${ARGN}': the message does not match '${pattern}':\n${err}")
  endif()
endfunction()

expect_failure(2 "unknown argument '--frobnicate'" --frobnicate)
expect_failure(2 "--input needs a value" --input)
expect_failure(2 "--seed needs a number" --seed minus-one)
expect_failure(2 "either --input or --seed" --input x --seed 3)
expect_failure(1 "cannot open input file '${WORK}/no-such-file'" --input "${WORK}/no-such-file")

math(EXPR short "${INPUT_BYTES} - 1")
math(EXPR long "${INPUT_BYTES} + 1")
foreach(size ${short} ${long} 0)
  string(REPEAT "a" ${size} text)
  file(WRITE "${WORK}/input_${size}.bin" "${text}")
  expect_failure(1 "has ${size} bytes; the model needs exactly ${INPUT_BYTES}" --input "${WORK}/input_${size}.bin")
endforeach()

# --help succeeds and documents the options.
execute_process(COMMAND "${PROGRAM}" --help RESULT_VARIABLE status OUTPUT_VARIABLE out)
if(NOT status EQUAL 0 OR NOT out MATCHES "--dump-tensors FILE")
  message(FATAL_ERROR "--help: status ${status}:\n${out}")
endif()
