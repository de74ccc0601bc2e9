// Builds small TFLite files for the importer's tests with the flatbuffers builder generated from
// htvm-import's schema subset (so the files use TFLite's real field ids). A model is described as
// plain data; every operator gets its own operator-code entry.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tflite_subset_generated.h"

namespace test_models {

using options_maker = std::function<std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>>(flatbuffers::FlatBufferBuilder&)>;

struct tensor_desc {
    std::vector<int> shape;
    tflite::TensorType type = tflite::TensorType_INT8;
    std::vector<float> scales;           // empty: no quantization table
    std::vector<std::int64_t> zero_points;
    int quantized_dimension = 0;
    std::vector<std::uint8_t> data;      // non-empty: a constant
    std::string name;
    // Write zero_points with its int64 elements 4 bytes off an 8-byte boundary (legal for the
    // flatbuffers verifier, which checks only the alignment of the vector's length).
    bool misaligned_zero_points = false;
};

struct op_desc {
    int code = 0;                        // BuiltinOperator value
    std::vector<int> inputs, outputs;
    options_maker options;               // may be empty
    std::string custom_code;
};

struct model_desc {
    std::uint32_t version = 3;
    std::vector<tensor_desc> tensors;
    std::vector<op_desc> ops;
    std::vector<int> inputs, outputs;
    int subgraph_copies = 1;
    std::string description = "htvm test model";
};

inline std::vector<std::uint8_t> int8_bytes(const std::vector<int>& values) {
    std::vector<std::uint8_t> out;
    for (int v : values) out.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(v)));
    return out;
}

inline std::vector<std::uint8_t> int32_bytes(const std::vector<std::int32_t>& values) {
    std::vector<std::uint8_t> out;
    for (std::int32_t v : values)
        for (int b = 0; b < 4; ++b) out.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * b)));
    return out;
}

// An activation tensor quantized per tensor.
inline tensor_desc activation(std::vector<int> shape, float scale, std::int64_t zero_point, std::string name = "") {
    tensor_desc t;
    t.shape = std::move(shape);
    t.scales = {scale};
    t.zero_points = {zero_point};
    t.name = std::move(name);
    return t;
}

// A [long] vector whose elements start at 4 modulo 8 in the finished buffer (whose size is a
// multiple of 8 once anything 8-byte aligned is in it, as every model here has). The builder writes
// back to front: elements last to first, each high word before its low word (little-endian).
inline flatbuffers::Offset<flatbuffers::Vector<std::int64_t>> misaligned_int64_vector(flatbuffers::FlatBufferBuilder& fbb,
                                                                                     const std::vector<std::int64_t>& v) {
    fbb.StartVector(2 * v.size(), sizeof(std::uint32_t));
    if (fbb.GetSize() % 8 == 0) fbb.PushElement<std::uint32_t>(0);  // 4 bytes of slack after the elements
    for (std::size_t i = v.size(); i-- > 0;) {
        const auto bits = static_cast<std::uint64_t>(v[i]);
        fbb.PushElement(static_cast<std::uint32_t>(bits >> 32));
        fbb.PushElement(static_cast<std::uint32_t>(bits));
    }
    return flatbuffers::Offset<flatbuffers::Vector<std::int64_t>>(fbb.EndVector(v.size()));
}

inline std::vector<std::uint8_t> build(const model_desc& m) {
    flatbuffers::FlatBufferBuilder fbb;
    // Buffer 0 is the empty sentinel; each constant tensor gets its own buffer.
    std::vector<flatbuffers::Offset<tflite::Buffer>> buffers{tflite::CreateBuffer(fbb)};
    std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes;
    std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs;

    for (int copy = 0; copy < m.subgraph_copies; ++copy) {
        std::vector<flatbuffers::Offset<tflite::Tensor>> tensors;
        for (const tensor_desc& t : m.tensors) {
            std::uint32_t buffer = 0;
            if (!t.data.empty()) {
                fbb.ForceVectorAlignment(t.data.size(), 1, 16);
                buffers.push_back(tflite::CreateBuffer(fbb, fbb.CreateVector(t.data)));
                buffer = static_cast<std::uint32_t>(buffers.size() - 1);
            }
            flatbuffers::Offset<tflite::QuantizationParameters> q = 0;
            if (!t.scales.empty() || !t.zero_points.empty()) {
                const auto zero_points = t.misaligned_zero_points ? misaligned_int64_vector(fbb, t.zero_points)
                                                                  : fbb.CreateVector(t.zero_points);
                q = tflite::CreateQuantizationParameters(fbb, fbb.CreateVector(t.scales), zero_points,
                                                         tflite::QuantizationDetails_NONE, 0, t.quantized_dimension);
            }
            tensors.push_back(tflite::CreateTensor(fbb, fbb.CreateVector(t.shape), t.type, buffer,
                                                   fbb.CreateString(t.name), q));
        }
        std::vector<flatbuffers::Offset<tflite::Operator>> ops;
        for (const op_desc& op : m.ops) {
            if (copy == 0) {
                const auto legacy = static_cast<std::int8_t>(op.code < 127 ? op.code : 127);
                codes.push_back(tflite::CreateOperatorCode(fbb, legacy,
                                                           op.custom_code.empty() ? 0 : fbb.CreateString(op.custom_code),
                                                           1, static_cast<tflite::BuiltinOperator>(op.code)));
            }
            std::pair<tflite::BuiltinOptions, flatbuffers::Offset<void>> options{tflite::BuiltinOptions_NONE, 0};
            if (op.options) options = op.options(fbb);
            ops.push_back(tflite::CreateOperator(fbb, static_cast<std::uint32_t>(ops.size()), fbb.CreateVector(op.inputs),
                                                 fbb.CreateVector(op.outputs), options.first, options.second));
        }
        subgraphs.push_back(tflite::CreateSubGraph(fbb, fbb.CreateVector(tensors), fbb.CreateVector(m.inputs),
                                                   fbb.CreateVector(m.outputs), fbb.CreateVector(ops),
                                                   fbb.CreateString("main")));
    }
    const auto model = tflite::CreateModel(fbb, m.version, fbb.CreateVector(codes), fbb.CreateVector(subgraphs),
                                           fbb.CreateString(m.description), fbb.CreateVector(buffers));
    tflite::FinishModelBuffer(fbb, model);
    return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

// ---- option makers ----------------------------------------------------------------------------

inline options_maker conv_options(tflite::Padding padding, int stride, tflite::ActivationFunctionType act,
                                  int dilation = 1) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_Conv2DOptions,
                              tflite::CreateConv2DOptions(fbb, padding, stride, stride, act, dilation, dilation).Union());
    };
}

inline options_maker depthwise_options(tflite::Padding padding, int stride, tflite::ActivationFunctionType act,
                                       int multiplier = 1) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_DepthwiseConv2DOptions,
                              tflite::CreateDepthwiseConv2DOptions(fbb, padding, stride, stride, multiplier, act).Union());
    };
}

inline options_maker pool_options(tflite::Padding padding, int window, int stride,
                                  tflite::ActivationFunctionType act = tflite::ActivationFunctionType_NONE) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_Pool2DOptions,
                              tflite::CreatePool2DOptions(fbb, padding, stride, stride, window, window, act).Union());
    };
}

inline options_maker fully_connected_options(tflite::ActivationFunctionType act) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_FullyConnectedOptions,
                              tflite::CreateFullyConnectedOptions(fbb, act).Union());
    };
}

inline options_maker add_options(tflite::ActivationFunctionType act) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_AddOptions, tflite::CreateAddOptions(fbb, act).Union());
    };
}

inline options_maker softmax_options(float beta) {
    return [=](flatbuffers::FlatBufferBuilder& fbb) {
        return std::make_pair(tflite::BuiltinOptions_SoftmaxOptions, tflite::CreateSoftmaxOptions(fbb, beta).Union());
    };
}

// ---- the extra-operators model ------------------------------------------------------------------
// float input -> QUANTIZE -> PAD -> CONV_2D (RELU6, one channel with a scale that flushes to zero)
// -> MAX_POOL_2D -> RELU (rescaling) -> RELU6 (same quantization) -> QUANTIZE (int8 -> int8)
// -> RESHAPE -> FULLY_CONNECTED -> DEQUANTIZE -> float output.
// Scales are powers of two so that a test can compute TFLite's results by hand.
struct extra_ops_facts {
    static constexpr float in_scale = 0.5f;
    static constexpr int in_zp = -10;
    static constexpr float conv_scale = 0.25f;
    static constexpr int conv_zp = 5;
    static constexpr float relu_scale = 0.5f;
    static constexpr int relu_zp = -20;
    static constexpr float requant_scale = 0.25f;
    static constexpr int requant_zp = 3;
    static constexpr float fc_weight_scale = 0.5f;
    static constexpr float fc_scale = 1.0f;
    static constexpr int fc_zp = -7;
};

// Deterministic small weights.
inline int pattern(int i, int range) {
    std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u + 12345u;
    x ^= x >> 13;
    return static_cast<int>(x % static_cast<std::uint32_t>(2 * range + 1)) - range;
}

inline model_desc extra_ops_model() {
    using f = extra_ops_facts;
    model_desc m;
    auto add = [&](tensor_desc t) {
        m.tensors.push_back(std::move(t));
        return static_cast<int>(m.tensors.size() - 1);
    };
    tensor_desc input;
    input.shape = {1, 6, 6, 2};
    input.type = tflite::TensorType_FLOAT32;
    input.name = "image";
    const int t_float_in = add(input);
    const int t_q = add(activation({1, 6, 6, 2}, f::in_scale, f::in_zp, "quantized"));

    tensor_desc paddings;
    paddings.shape = {4, 2};
    paddings.type = tflite::TensorType_INT32;
    paddings.data = int32_bytes({0, 0, 1, 1, 1, 1, 0, 0});
    const int t_paddings = add(paddings);
    const int t_padded = add(activation({1, 8, 8, 2}, f::in_scale, f::in_zp, "padded"));

    tensor_desc filter;
    filter.shape = {3, 3, 3, 2};
    filter.scales = {0.25f, 0.25f, 1e-12f};  // channel 2: effective scale 2e-12 flushes to multiplier 0
    filter.zero_points = {0, 0, 0};
    std::vector<int> w;
    for (int i = 0; i < 3 * 3 * 3 * 2; ++i) w.push_back(pattern(i, 3));
    filter.data = int8_bytes(w);
    filter.name = "conv_filter";
    const int t_filter = add(filter);
    tensor_desc bias;
    bias.shape = {3};
    bias.type = tflite::TensorType_INT32;
    bias.data = int32_bytes({7, -9, 1000});
    bias.name = "conv_bias";
    const int t_bias = add(bias);
    const int t_conv = add(activation({1, 6, 6, 3}, f::conv_scale, f::conv_zp, "conv"));
    const int t_pool = add(activation({1, 3, 3, 3}, f::conv_scale, f::conv_zp, "pool"));
    const int t_relu = add(activation({1, 3, 3, 3}, f::relu_scale, f::relu_zp, "relu"));
    const int t_relu6 = add(activation({1, 3, 3, 3}, f::relu_scale, f::relu_zp, "relu6"));
    const int t_requant = add(activation({1, 3, 3, 3}, f::requant_scale, f::requant_zp, "requantized"));
    tensor_desc new_shape;
    new_shape.shape = {2};
    new_shape.type = tflite::TensorType_INT32;
    new_shape.data = int32_bytes({1, 27});
    const int t_new_shape = add(new_shape);
    const int t_flat = add(activation({1, 27}, f::requant_scale, f::requant_zp, "flat"));
    tensor_desc fc_w;
    fc_w.shape = {4, 27};
    fc_w.scales = {f::fc_weight_scale};
    fc_w.zero_points = {0};
    std::vector<int> fw;
    for (int i = 0; i < 4 * 27; ++i) fw.push_back(pattern(1000 + i, 2));
    fc_w.data = int8_bytes(fw);
    fc_w.name = "fc_weights";
    const int t_fc_w = add(fc_w);
    tensor_desc fc_b;
    fc_b.shape = {4};
    fc_b.type = tflite::TensorType_INT32;
    fc_b.data = int32_bytes({3, -4, 50, -60});
    const int t_fc_b = add(fc_b);
    const int t_fc = add(activation({1, 4}, f::fc_scale, f::fc_zp, "fc"));
    tensor_desc output;
    output.shape = {1, 4};
    output.type = tflite::TensorType_FLOAT32;
    output.name = "scores";
    const int t_float_out = add(output);

    using A = tflite::ActivationFunctionType;
    m.ops = {
        {tflite::BuiltinOperator_QUANTIZE, {t_float_in}, {t_q}, {}, ""},
        {tflite::BuiltinOperator_PAD, {t_q, t_paddings}, {t_padded}, {}, ""},
        {tflite::BuiltinOperator_CONV_2D, {t_padded, t_filter, t_bias}, {t_conv},
         conv_options(tflite::Padding_VALID, 1, A::ActivationFunctionType_RELU6), ""},
        {tflite::BuiltinOperator_MAX_POOL_2D, {t_conv}, {t_pool}, pool_options(tflite::Padding_VALID, 2, 2), ""},
        {tflite::BuiltinOperator_RELU, {t_pool}, {t_relu}, {}, ""},
        {tflite::BuiltinOperator_RELU6, {t_relu}, {t_relu6}, {}, ""},
        {tflite::BuiltinOperator_QUANTIZE, {t_relu6}, {t_requant}, {}, ""},
        {tflite::BuiltinOperator_RESHAPE, {t_requant, t_new_shape}, {t_flat}, {}, ""},
        {tflite::BuiltinOperator_FULLY_CONNECTED, {t_flat, t_fc_w, t_fc_b}, {t_fc},
         fully_connected_options(A::ActivationFunctionType_NONE), ""},
        {tflite::BuiltinOperator_DEQUANTIZE, {t_fc}, {t_float_out}, {}, ""},
    };
    m.inputs = {t_float_in};
    m.outputs = {t_float_out};
    return m;
}

}  // namespace test_models
