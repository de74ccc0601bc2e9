// Hand-made hostile TFLite files, one per problem found in htvm-import (issue #23), with the part
// of the importer's message that must name the problem. tests/importer/test_importer.cpp imports each one;
// `make_test_models --hostile DIR` writes them as the fuzzer's regression inputs
// (tools/htvm-import/fuzz/regressions/, committed), which the fuzz test replays under ASan/UBSan.
// A file whose name starts with "imports-" must import (the problem was in reading or writing
// something valid), "refused-" must be refused with the message.
#pragma once
#include <string>
#include <vector>

#include "tflite_builder.hpp"

namespace test_models {

struct hostile_case {
    std::string file;      // regression file name
    model_desc model;
    std::string expected;  // a part of the refusal message; empty: the model imports
};

// A valid little model the hostile ones start from: [1,4,4,2] -> CONV_2D 3x3 SAME (3 filters,
// fused RELU) -> [1,4,4,3].
inline model_desc small_conv_model() {
    using A = tflite::ActivationFunctionType;
    model_desc m;
    m.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, -3, "in"));
    tensor_desc filter;
    filter.shape = {3, 3, 3, 2};
    filter.scales = {0.1f, 0.2f, 0.3f};
    filter.zero_points = {0, 0, 0};
    std::vector<int> w;
    for (int i = 0; i < 54; ++i) w.push_back(pattern(i, 5));
    filter.data = int8_bytes(w);
    filter.name = "filter";
    m.tensors.push_back(filter);
    tensor_desc bias;
    bias.shape = {3};
    bias.type = tflite::TensorType_INT32;
    bias.data = int32_bytes({1, 2, 3});
    bias.name = "bias";
    m.tensors.push_back(bias);
    m.tensors.push_back(activation({1, 4, 4, 3}, 0.25f, -128, "out"));
    m.ops.push_back({tflite::BuiltinOperator_CONV_2D, {0, 1, 2}, {3},
                     conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU), ""});
    m.inputs = {0};
    m.outputs = {3};
    return m;
}

// in -> one operator `code` -> out, both [shape], with the given quantizations.
inline model_desc single_operator_model(int code, std::vector<int> shape, float in_scale, float out_scale) {
    model_desc m;
    m.tensors.push_back(activation(shape, in_scale, 0, "in"));
    m.tensors.push_back(activation(shape, out_scale, 0, "out"));
    m.ops.push_back({code, {0}, {1}, {}, ""});
    m.inputs = {0};
    m.outputs = {1};
    return m;
}

constexpr int int32_max = 2147483647;

inline std::vector<hostile_case> hostile_models() {
    using A = tflite::ActivationFunctionType;
    std::vector<hostile_case> cases;

    // 1. The input's zero_point vector ([long]) 4 bytes off an 8-byte boundary. Valid: imports.
    {
        model_desc m = small_conv_model();
        m.tensors[0].misaligned_zero_points = true;
        cases.push_back({"imports-misaligned-zero-point.tflite", m, ""});
    }
    // 2. RELU6 / RELU_N1_TO_1 on an output scale of 1e-30: 6 / 1e-30 is no int32.
    {
        model_desc m = single_operator_model(tflite::BuiltinOperator_RELU6, {1, 2, 2, 1}, 0.5f, 1e-30f);
        cases.push_back({"refused-relu6-scale-1e-30.tflite", m,
                         "operator 0 (RELU6): the output tensor 1 'out' has scale 1e-30, so the bounds of RELU6 (0 and 6) "
                         "divided by the scale do not fit int32"});
        model_desc c = small_conv_model();
        c.tensors[0].scales = {1e-30f};  // input scale * filter scale / output scale stays small
        c.tensors[1].scales = {0.5f};
        c.tensors[1].zero_points = {0};
        c.tensors[3].scales = {1e-30f};
        c.ops[0].options = conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU_N1_TO_1);
        cases.push_back({"refused-fused-relu-n1-to-1-scale-1e-30.tflite", c,
                         "operator 0 (CONV_2D): the output tensor 3 'out' has scale 1e-30, so the bounds of "
                         "RELU_N1_TO_1 (-1 and 1) divided by the scale do not fit int32"});
    }
    // 3. A FULLY_CONNECTED output of shape [1, 2^31-1, 2^31-1, 2^31-1]: its element count overflowed.
    {
        model_desc m;
        m.tensors.push_back(activation({1, 8}, 0.5f, 0, "in"));
        tensor_desc w;
        w.shape = {2, 8};
        w.scales = {0.1f};
        w.zero_points = {0};
        w.data = std::vector<std::uint8_t>(16, 1);
        w.name = "weights";
        m.tensors.push_back(w);
        m.tensors.push_back(activation({1, int32_max, int32_max, int32_max}, 0.5f, 0, "out"));
        m.ops.push_back({tflite::BuiltinOperator_FULLY_CONNECTED, {0, 1, -1}, {2},
                         fully_connected_options(A::ActivationFunctionType_NONE), ""});
        m.inputs = {0};
        m.outputs = {2};
        cases.push_back({"refused-shape-2g-cubed.tflite", m,
                         "tensor 2 'out' has a dimension of 2147483647 (axis 1); htvm-import accepts at most 65536 "
                         "(limits::max_dimension)"});
    }
    // 4. A [1,1,1,2^31-1] rescaling RELU / QUANTIZE: 2^31-1 unit weights (8 GiB) were generated.
    {
        const model_desc relu = single_operator_model(tflite::BuiltinOperator_RELU, {1, 1, 1, int32_max}, 0.5f, 0.25f);
        cases.push_back({"refused-rescale-relu-2g-channels.tflite", relu,
                         "tensor 0 'in' has a dimension of 2147483647 (axis 3); htvm-import accepts at most 65536 "
                         "(limits::max_dimension)"});
        const model_desc quantize =
            single_operator_model(tflite::BuiltinOperator_QUANTIZE, {1, 1, 1, int32_max}, 0.5f, 0.25f);
        cases.push_back({"refused-rescale-quantize-2g-channels.tflite", quantize,
                         "tensor 0 'in' has a dimension of 2147483647 (axis 3); htvm-import accepts at most 65536"});
        // Each dimension within the limit, 32 Mi elements in all.
        const model_desc big = single_operator_model(tflite::BuiltinOperator_RELU, {1, 4096, 4096, 2}, 0.5f, 0.25f);
        cases.push_back({"refused-32mi-elements.tflite", big,
                         "tensor 0 'in' has over 16777216 elements (limits::max_tensor_elements: 16 Mi)"});
    }
    // 5. Names with a newline, a trailing backslash and a trigraph: they reached // comments raw.
    {
        model_desc m = small_conv_model();
        m.tensors[0].name = "in\n#error injected by a tensor name\n";
        m.tensors[1].name = "filter \\";
        m.tensors[3].name = "out ?\?/";  // a trigraph, written so that this file has none
        m.description = "line one\n#include \"/etc/passwd\"\n";
        cases.push_back({"imports-injected-names.tflite", m, ""});
    }
    // 6. A CONV_2D relabelled as RELU: its filter and bias were dropped silently (a conv with as many
    //    filters as input channels, so that the shapes agree as a RELU's must).
    {
        model_desc m = small_conv_model();
        m.tensors[1].shape = {2, 3, 3, 2};
        m.tensors[1].scales = {0.1f, 0.2f};
        m.tensors[1].zero_points = {0, 0};
        m.tensors[1].data.resize(36);
        m.tensors[2].shape = {2};
        m.tensors[2].data = int32_bytes({1, 2});
        m.tensors[3].shape = {1, 4, 4, 2};
        m.ops[0].code = tflite::BuiltinOperator_RELU;
        cases.push_back({"refused-conv-relabelled-relu.tflite", m,
                         "operator 0 (RELU) has 3 inputs; RELU takes 1 (one input)"});
    }
    // Also found: a rescale factor beyond TFLite's int32 arithmetic (shift over 30) was written out.
    {
        const model_desc m = single_operator_model(tflite::BuiltinOperator_RELU, {1, 2, 2, 1}, 10.0f, 1e-9f);
        cases.push_back({"refused-relu-rescale-1e10.tflite", m,
                         "operator 0 (RELU): the input to output rescale factor 1e+10 is too large for TFLite's int32 "
                         "requantization (at most 2^30)"});
    }
    return cases;
}

}  // namespace test_models
