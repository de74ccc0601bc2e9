// MLPerf Tiny anomaly detection, the ToyADMOS deep auto-encoder as HTVM deploys it on DIANA
// (diana/byoc/mlperf_tiny/relay_dae.py in KULeuven-MICAS/htvm): dense 640-128-128-128-128-8-128-128-
// 128-128-640, ReLU after every layer but the last, shift 4.
#pragma once
#include "generate.hpp"

namespace diana_examples::toyadmos_dae {

inline constexpr const char* name = "toyadmos_dae";

inline constexpr htvm::network net{
    htvm::input{.name = "input", .shape = {1, 1, 1, 640}},
    dense<128, 640, 401>("fc1", true),
    dense<128, 128, 402>("fc2", true),
    dense<128, 128, 403>("fc3", true),
    dense<128, 128, 404>("fc4", true),
    dense<8, 128, 405>("fc5", true),
    dense<128, 8, 406>("fc6", true),
    dense<128, 128, 407>("fc7", true),
    dense<128, 128, 408>("fc8", true),
    dense<128, 128, 409>("fc9", true),
    dense<640, 128, 410>("fc10", false),
};

// The DIANA forms of its layers (generate.hpp): the analog form of every conv2d, and the weights of
// every conv2d, depthwise and dense layer arranged for the digital accelerator.
inline constexpr htvm::diana::layer_form forms[] = {
    dense_form<128, 640, 401>("fc1"),
    dense_form<128, 128, 402>("fc2"),
    dense_form<128, 128, 403>("fc3"),
    dense_form<128, 128, 404>("fc4"),
    dense_form<8, 128, 405>("fc5"),
    dense_form<128, 8, 406>("fc6"),
    dense_form<128, 128, 407>("fc7"),
    dense_form<128, 128, 408>("fc8"),
    dense_form<128, 128, 409>("fc9"),
    dense_form<640, 128, 410>("fc10"),
};

}  // namespace diana_examples::toyadmos_dae
