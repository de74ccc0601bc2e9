// The importer's typed form of a network, between a front end (which reads one model format and
// checks it) and the printer (which writes the C++ header). Its operators are htvm's builders
// (<htvm/layers.hpp>) with the library's own parameter types, minus what a header spells by name:
// the weights, biases and per-channel arrays are owned here as values, and operators refer to each
// other and to constants by index. It knows no model format: a front end fills the `origin` fields
// with its own numbers and words, which the header only repeats in comments and lookup tables.
//
// What a front end guarantees and the printer relies on:
//   - ops[0] is the network input and the only `input`; every other operator reads earlier ones;
//     the last operator is the network's output;
//   - every constant index is valid, a conv's per-channel arrays have `filters` entries, and the
//     parameters are in the ranges the builders accept (the front end has checked the model);
//   - names are distinct C++-string-safe identifiers; comments are one printable line each;
//   - origin tensors are distinct numbers (they name arrays and fill the header's tables).
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <htvm/layers.hpp>

namespace htvm_import::ir {

// Per-tensor quantization: real value = scale * (q - zero_point).
struct quantization {
    float scale = 0;
    std::int32_t zero_point = 0;
    friend bool operator==(const quantization&, const quantization&) = default;
};

// Constant data, in the layout its builder field expects (conv OHWI, depthwise HWC, dense [out][in]).
template <class T>
struct constant {
    int tensor = 0;        // the source model's tensor number: names the array
    std::string comment;   // one printable line on what it is in the source model
    std::vector<T> values;
};

// htvm::tflite_requant's scalar fields; the per-channel arrays owned instead of pointed to.
struct requant {
    std::vector<std::int32_t> multipliers, shifts;  // per output channel; empty: `multiplier` and `shift`
    std::int32_t multiplier = 0, shift = 0;
    std::int32_t input_zero_point = 0, output_zero_point = 0;
    std::int32_t act_min = -128, act_max = 127;
};

inline constexpr int no_constant = -1;

// One struct per builder. An operator's name, inputs and output shape (the builders' `.expect`,
// or reshape's `.to`) are in `op` below.
struct input {};
struct conv2d {
    int filters = 0;
    htvm::hw kernel{1, 1}, stride{1, 1};
    htvm::padding padding = htvm::valid;
    int weights = no_constant;  // index in network::int8_constants
    int bias = no_constant;     // index in network::int32_constants, or none
    ir::requant requant;
};
struct depthwise_conv2d {
    htvm::hw kernel{3, 3}, stride{1, 1};
    htvm::padding padding = htvm::valid;
    int weights = no_constant;
    int bias = no_constant;
    ir::requant requant;
};
struct dense {
    int units = 0;
    int weights = no_constant;
    int bias = no_constant;
    ir::requant requant;
};
struct add {  // inputs: lhs, rhs
    htvm::tflite_add_params params;
};
struct pool {
    htvm::hw window{2, 2}, stride{2, 2};
    htvm::padding padding = htvm::valid;
    std::int32_t act_min = -128, act_max = 127;
};
struct avg_pool : pool {};
struct max_pool : pool {};
struct global_avg_pool {
    std::int32_t act_min = -128, act_max = 127;
};
struct reshape {};  // to the operator's output shape
// The library computes htvm::tflite_softmax_params from these at compile time
// (tflite_softmax_params_for), so that the header shows the model's own numbers.
struct softmax {
    float beta = 1;
    float input_scale = 0;
};
struct clip {
    std::int32_t min = -128, max = 127;
};
struct pad {
    int top = 0, bottom = 0, left = 0, right = 0;
    std::int8_t value = 0;
};
// Requantization of every element with one multiplier (a change of scale, with a clamp). htvm has no
// builder of its own for it: the printer writes a 1x1 depthwise conv with unit weights.
struct rescale {
    ir::requant requant;  // per tensor
};

using parameters = std::variant<input, conv2d, depthwise_conv2d, dense, add, avg_pool, max_pool,
                                global_avg_pool, reshape, softmax, clip, pad, rescale>;

// Where an operator comes from in the source model, for the header's comments and tables.
struct origin {
    int tensor = -1;      // the source tensor it writes
    std::string op;       // the source operator's name ("input" for the network input)
    std::string comment;  // one printable line describing it
};

struct op {
    std::string name;
    std::vector<int> inputs;  // indices of earlier operators: none for the input, lhs and rhs for an add
    htvm::shape output;
    parameters params;
    ir::origin origin;
};

// The network's input or output as the caller sees it.
struct edge {
    int tensor = -1;        // the source tensor the htvm model starts or ends with (int8)
    int float_tensor = -1;  // the source's float tensor beyond a quantize / dequantize left to the caller, or -1
    ir::quantization quantization;
    std::string comment;    // one printable line naming the tensor
};

struct network {
    std::string format;       // the source format's name, as the header's comments say it
    std::string description;  // the source model's own description, unescaped (the printer escapes it)
    int tensor_count = 0;     // tensors in the source model
    edge input, output;
    // Every int8 constant of the source model, in its order: the header lists them all (for
    // comparing with the source), whether an operator reads them or not.
    std::vector<constant<std::int8_t>> int8_constants;
    std::vector<constant<std::int32_t>> int32_constants;  // the biases operators read
    std::vector<op> ops;
};

// "{n, h, w, c}": how messages and the header write a shape.
inline std::string text(const htvm::shape& s) {
    return "{" + std::to_string(s.n) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " +
           std::to_string(s.c) + "}";
}

}  // namespace htvm_import::ir
