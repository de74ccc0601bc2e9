# The importer's libFuzzer target (tools/htvm-import/fuzz), CTest label `fuzz` (included by
# importer.cmake): built with clang++, ASan and UBSan in a project of its own, then run over every
# regression input (each refused, or imported, cleanly) and for 60 s from the MLPerf Tiny models and
# the regression inputs. Needs clang++ with its libFuzzer runtime and flatbuffers; skipped otherwise.
# To fuzz longer, see README.md.
if(NOT TARGET htvm-import)
  return()
endif()
if(NOT HTVM_CLANGXX)
  message(STATUS "importer fuzz tests skipped: no clang++")
  return()
endif()
execute_process(COMMAND ${HTVM_CLANGXX} --print-runtime-dir OUTPUT_VARIABLE runtime_dir
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
file(GLOB fuzzer_runtime "${runtime_dir}/libclang_rt.fuzzer-*.a" "${runtime_dir}/libclang_rt.fuzzer.a")
if(NOT fuzzer_runtime)
  message(STATUS "importer fuzz tests skipped: ${HTVM_CLANGXX} has no libFuzzer runtime in '${runtime_dir}'")
  return()
endif()

set(fuzz_source ${PROJECT_SOURCE_DIR}/tools/htvm-import/fuzz)
set(fuzz_build ${CMAKE_CURRENT_BINARY_DIR}/importer_fuzz/build)
set(fuzzer ${fuzz_build}/htvm_import_fuzzer)
set(fuzz_script ${fuzz_source}/run_fuzz.cmake)
add_test(NAME importer_fuzz_build
  COMMAND ${CMAKE_COMMAND} -DMODE=build -DCLANGXX=${HTVM_CLANGXX} -DSOURCE=${fuzz_source} -DBUILD=${fuzz_build}
          -P ${fuzz_script})
add_test(NAME importer_fuzz_regressions
  COMMAND ${CMAKE_COMMAND} -DMODE=regressions -DFUZZER=${fuzzer} -DSOURCE=${fuzz_source}
          -DMODELS=${CMAKE_CURRENT_SOURCE_DIR}/data/mlperf_tiny -P ${fuzz_script})
add_test(NAME importer_fuzz_60s
  COMMAND ${CMAKE_COMMAND} -DMODE=fuzz -DFUZZER=${fuzzer} -DSOURCE=${fuzz_source}
          -DMODELS=${CMAKE_CURRENT_SOURCE_DIR}/data/mlperf_tiny -DWORK=${CMAKE_CURRENT_BINARY_DIR}/importer_fuzz
          -DSECONDS=60 -P ${fuzz_script})
# (The fuzzer is a project of its own, built by importer_fuzz_build: nothing of this build is run.)
foreach(test importer_fuzz_build importer_fuzz_regressions importer_fuzz_60s)
  htvm_test_needs(${test})
endforeach()
set_tests_properties(importer_fuzz_build PROPERTIES LABELS "fuzz;importer" FIXTURES_SETUP importer_fuzzer TIMEOUT 600)
set_tests_properties(importer_fuzz_regressions PROPERTIES LABELS "fuzz;importer" FIXTURES_REQUIRED importer_fuzzer
                     TIMEOUT 300)
set_tests_properties(importer_fuzz_60s PROPERTIES LABELS "fuzz;importer" FIXTURES_REQUIRED importer_fuzzer
                     TIMEOUT 300)
