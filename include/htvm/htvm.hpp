// htvm: ahead-of-time int8 neural networks as constexpr C++ graphs. This header is the
// platform-independent core (CPU kernels); every accelerator platform's header includes it.
#pragma once
#include "diagnostics.hpp"
#include "graph.hpp"
#include "layers.hpp"
#include "memory_plan.hpp"
#include "model.hpp"
#include "quant.hpp"
#include "shape.hpp"
