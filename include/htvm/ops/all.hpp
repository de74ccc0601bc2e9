// Every operator a network can hold. Adding one: its header in ops/, its #include and its entry here.
#pragma once
#include "add.hpp"
#include "avg_pool.hpp"
#include "clip.hpp"
#include "conv2d.hpp"
#include "dense.hpp"
#include "depthwise_conv2d.hpp"
#include "global_avg_pool.hpp"
#include "input.hpp"
#include "max_pool.hpp"
#include "operator.hpp"
#include "pad.hpp"
#include "reshape.hpp"
#include "softmax.hpp"

namespace htvm {

using operators = operator_list<input, conv2d, depthwise_conv2d, dense, add, avg_pool, max_pool, global_avg_pool,
                                reshape, softmax, clip, pad>;

}  // namespace htvm
