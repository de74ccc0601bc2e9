# cmake -DFILE=<header> -DNS=<namespace> -DLAYERS=<n> -DKIND=<chain|residual> -P generate.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../../tests/scale/generate_network.cmake)
htvm_generate_scale_network("${FILE}" "${NS}" "${LAYERS}" "${KIND}")
