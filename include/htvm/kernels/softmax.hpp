// int8 softmax over the last axis, bit-exact with TFLite's reference integer softmax.
// (Implementation pending: owned by the kernels work item.)
#pragma once
#include <cstdint>

#include "../layers.hpp"

namespace htvm::cpu {

void softmax(int rows, int depth, const tflite_softmax_params& params, const std::int8_t* input, std::int8_t* output);

}  // namespace htvm::cpu
