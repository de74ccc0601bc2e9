// The compile-time reference point "htvm's headers and nothing else": what every htvm firmware
// translation unit pays before it holds a model (bench/mlperf/measure_compile.py).
#include <htvm/htvm.hpp>
