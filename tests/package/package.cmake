# htvm as a dependency: installed package + find_package, add_subdirectory and FetchContent.
foreach(mode package subdirectory fetch)
  add_test(NAME package_${mode}
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/package_${mode}
            -DMODE=${mode} "-DGENERATOR=${CMAKE_GENERATOR}" -P ${CMAKE_CURRENT_LIST_DIR}/run.cmake)
  set_tests_properties(package_${mode} PROPERTIES LABELS "unit;package")
  htvm_test_needs(package_${mode})  # builds the package in its own trees
endforeach()
