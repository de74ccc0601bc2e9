// A network written directly as the importer's IR, as a front end for another format (here ONNX's
// operator names) would make it: input -> conv 3x3 with explicit pads -> global average pool ->
// flatten -> dense -> clip. The TFLite front end never emits explicit pads or a global_avg_pool.
// With all-zero conv weights and multipliers of exactly 1.0 (2^30, shift 1) the output is worked out
// by hand in test_importer_printer.cpp.
#pragma once
#include "ir.hpp"

namespace test_ir {

inline htvm_import::ir::network hand_network() {
    namespace ir = htvm_import::ir;
    ir::network n;
    n.format = "ONNX";
    n.description = "written as IR by hand";
    n.tensor_count = 10;
    n.input = {0, -1, {0.5f, 0}, "tensor 0 'image'"};
    n.output = {9, -1, {1.0f, 0}, "tensor 9 'scores'"};
    n.int8_constants = {{1, "conv weights, all zero", std::vector<std::int8_t>(2 * 3 * 3 * 2, 0)},
                        {6, "dense weights [3][2]", {1, 0, 0, 1, 1, 1}}};
    n.int32_constants = {{2, "conv bias", {3, -4}}, {7, "dense bias", {5, -7, 100}}};

    ir::requant one;  // a multiplier of 1.0, zero points 0, no clamp
    one.multiplier = 1 << 30;
    one.shift = 1;
    ir::requant per_channel_one = one;
    per_channel_one.multipliers = {1 << 30, 1 << 30};
    per_channel_one.shifts = {1, 1};

    n.ops.push_back({"image", {}, {1, 4, 4, 2}, ir::input{}, {0, "input", "the network input"}});
    n.ops.push_back({"conv", {0}, {1, 4, 4, 2},
                     ir::conv2d{2, {3, 3}, {1, 1}, htvm::pads(1, 1, 1, 1), 0, 0, per_channel_one},
                     {3, "Conv", "node 0 (Conv)"}});
    n.ops.push_back({"pool", {1}, {1, 1, 1, 2}, ir::global_avg_pool{}, {4, "GlobalAveragePool", "node 1"}});
    n.ops.push_back({"flat", {2}, {1, 1, 1, 2}, ir::reshape{}, {5, "Flatten", "node 2"}});
    n.ops.push_back({"fc", {3}, {1, 1, 1, 3}, ir::dense{3, 1, 1, one}, {8, "Gemm", "node 3"}});
    n.ops.push_back({"relu", {4}, {1, 1, 1, 3}, ir::clip{0, 127}, {9, "Relu", "node 4"}});
    return n;
}

}  // namespace test_ir
