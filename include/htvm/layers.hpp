// The layer templates a network is written with. Each builder is an aggregate meant for designated
// initializers, e.g.
//     htvm::conv2d{.name = "conv1", .filters = 16, .kernel = {3, 3}, .padding = htvm::same,
//                  .weights = conv1_weights, .bias = conv1_bias,
//                  .requant = htvm::diana_requant{.shift = 4, .relu = true}}
// and converts to the one uniform `layer` record the graph stores, so that shape inference, memory
// planning and dispatch are plain constexpr loops over an array.
#pragma once
#include <cstddef>
#include <cstdint>

#include "quant.hpp"
#include "shape.hpp"

namespace htvm {

enum class op : std::uint8_t {
    input,
    conv2d,
    depthwise_conv2d,
    dense,
    add,
    avg_pool,
    max_pool,
    global_avg_pool,
    reshape,
    softmax,
    clip,        // ReLU, ReLU6 or any clamp, optionally with requantization of a tensor
    pad,
};

constexpr const char* op_name(op kind) {
    switch (kind) {
        case op::input: return "input";
        case op::conv2d: return "conv2d";
        case op::depthwise_conv2d: return "depthwise_conv2d";
        case op::dense: return "dense";
        case op::add: return "add";
        case op::avg_pool: return "avg_pool";
        case op::max_pool: return "max_pool";
        case op::global_avg_pool: return "global_avg_pool";
        case op::reshape: return "reshape";
        case op::softmax: return "softmax";
        case op::clip: return "clip";
        case op::pad: return "pad";
    }
    return "?";
}

enum class padding_mode : std::uint8_t { valid, same, explicit_pads };

struct padding {
    padding_mode mode = padding_mode::valid;
    int top = 0, bottom = 0, left = 0, right = 0;
};
inline constexpr padding valid{padding_mode::valid};
inline constexpr padding same{padding_mode::same};
constexpr padding pads(int top, int bottom, int left, int right) {
    return {padding_mode::explicit_pads, top, bottom, left, right};
}

// A reference to constant data with its element count. Built from a plain array, it records the
// address and the size only: constant evaluation never reads the values (weights stay opaque).
template <class T>
struct const_span {
    const T* data = nullptr;
    int size = 0;

    constexpr const_span() = default;
    template <std::size_t N>
    constexpr const_span(const T (&array)[N]) : data(array), size(static_cast<int>(N)) {}
    constexpr const_span(const T* pointer, int count) : data(pointer), size(count) {}
    constexpr bool empty() const { return data == nullptr; }
};
using weights_i8 = const_span<std::int8_t>;
using bias_i32 = const_span<std::int32_t>;

// Ternary weights {-1, 0, +1} packed four to a byte, two bits each (bit 0 adds +1, bit 1 adds -1,
// so both or neither is 0): every bit pattern is a ternary weight, so a value of this type cannot
// hold anything else. The order of the weights is the platform's (see its documentation).
struct ternary_weights {
    const std::uint8_t* data = nullptr;
    int bytes = 0;
    int count = 0;  // number of weights packed in `data`

    constexpr ternary_weights() = default;
    template <std::size_t N>
    constexpr ternary_weights(const std::uint8_t (&packed)[N], int weight_count)
        : data(packed), bytes(static_cast<int>(N)), count(weight_count) {}
    constexpr ternary_weights(const std::uint8_t* packed, int packed_bytes, int weight_count)
        : data(packed), bytes(packed_bytes), count(weight_count) {}
    constexpr bool empty() const { return data == nullptr; }
};

// How a convolution computes when a platform places it on an analog in-memory-compute core (e.g.
// DIANA's): ternary weights, the accumulator clipped to the ADC's range, a per-output-channel
// scale and offset (batch norm), an arithmetic right shift and a clip. The CPU ignores it.
struct analog_variant {
    ternary_weights weights{};
    const std::int32_t* scale = nullptr;   // per output channel (DIANA's k)
    const std::int32_t* offset = nullptr;  // per output channel (DIANA's lambda)
    int shift = 0;
    bool relu = false;
    std::int32_t clip_min = -128, clip_max = 127;

    constexpr bool present() const { return !weights.empty(); }
};

// Which earlier layer feeds this one: by name, by index, or (default) the previous layer.
struct from {
    const char* name = nullptr;
    int index = -1;

    constexpr from() = default;
    constexpr from(const char* layer_name) : name(layer_name) {}
    constexpr from(int layer_index) : index(layer_index) {}
    constexpr bool is_previous() const { return name == nullptr && index < 0; }
};

// TFLite's int8 ADD: both inputs rescaled to a common scale after a left shift of 20.
struct tflite_add_params {
    std::int32_t input1_zero_point = 0, input2_zero_point = 0, output_zero_point = 0;
    std::int32_t left_shift = 20;
    std::int32_t input1_multiplier = 0, input1_shift = 0;
    std::int32_t input2_multiplier = 0, input2_shift = 0;
    std::int32_t output_multiplier = 0, output_shift = 0;
    std::int32_t act_min = -128, act_max = 127;
};

// TFLite's int8 SOFTMAX (output scale 1/256, zero point -128).
struct tflite_softmax_params {
    std::int32_t input_multiplier = 0;
    std::int32_t input_left_shift = 0;
    std::int32_t diff_min = 0;
};

// The uniform record. Fields an operator does not use keep their defaults.
struct layer {
    op kind = op::input;
    const char* name = "";
    from inputs[2] = {};
    shape declared{};           // input: its shape; reshape: the new shape
    int filters = 0;            // conv2d / dense output channels
    hw kernel{};                // conv kernel or pool window
    hw stride{};
    padding pad{};
    weights_i8 weights{};       // conv OHWI, depthwise HWC, dense [out][in]
    bias_i32 bias{};            // per output channel, may be empty
    shape expect{0, 0, 0, 0};   // optional output shape to check inference against (0: unchecked)
    requant rq{};                          // conv, dense, clip, pools (zero points, clamp)
    tflite_add_params add_tflite{};        // add with TFLite arithmetic
    bool add_is_tflite = false;
    tflite_softmax_params softmax{};
    std::int8_t pad_value = 0;             // pad: the value written in the border
    const char* target = nullptr;          // per-layer placement override, read by the platform
    // Optional data for accelerators, read by platforms and ignored by the CPU:
    weights_i8 arranged_weights{};         // the same weights, already arranged in an accelerator's layout
    const char* arranged_layout = nullptr; // the name of that layout (the platform checks it)
    analog_variant analog{};               // conv2d: how it computes on an analog in-memory-compute core
};

// What a running program may read about a layer (model::layers, observers): a few constants copied
// out of the record. The record itself is read only at compile time, and should stay so: one
// run-time read of it puts the whole record, and every weight array it points to, into the binary.
struct layer_info {
    const char* name = "";
    op kind = op::input;
    const char* target = nullptr;  // the layer's `.target` override, if any
    long long macs = 0;            // multiply-accumulates of one inference
};

// ---- builders --------------------------------------------------------------------------------

struct input {
    const char* name = "input";
    htvm::shape shape{};
    constexpr operator layer() const {
        layer l{};
        l.kind = op::input;
        l.name = name;
        l.declared = shape;
        return l;
    }
};

struct conv2d {
    const char* name = "";
    from input{};
    int filters = 0;
    hw kernel{1, 1};
    hw stride{1, 1};
    htvm::padding padding = valid;
    weights_i8 weights{};  // OHWI
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    weights_i8 arranged_weights{};         // optional: the weights in an accelerator's layout
    const char* arranged_layout = nullptr; // the name of that layout
    analog_variant analog{};               // optional: its analog in-memory-compute form
    constexpr operator layer() const {
        layer l{};
        l.kind = op::conv2d;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.filters = filters;
        l.kernel = kernel;
        l.stride = stride;
        l.pad = padding;
        l.weights = weights;
        l.bias = bias;
        l.rq = requant;
        l.target = target;
        l.arranged_weights = arranged_weights;
        l.arranged_layout = arranged_layout;
        l.analog = analog;
        return l;
    }
};

// Depthwise convolution with channel multiplier 1: output channels = input channels.
struct depthwise_conv2d {
    const char* name = "";
    from input{};
    hw kernel{3, 3};
    hw stride{1, 1};
    htvm::padding padding = valid;
    weights_i8 weights{};  // [H][W][C]
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    weights_i8 arranged_weights{};         // optional: the weights in an accelerator's layout
    const char* arranged_layout = nullptr; // the name of that layout
    constexpr operator layer() const {
        layer l{};
        l.kind = op::depthwise_conv2d;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.kernel = kernel;
        l.stride = stride;
        l.pad = padding;
        l.weights = weights;
        l.bias = bias;
        l.rq = requant;
        l.target = target;
        l.arranged_weights = arranged_weights;
        l.arranged_layout = arranged_layout;
        return l;
    }
};

// Fully connected over the flattened input.
struct dense {
    const char* name = "";
    from input{};
    int units = 0;
    weights_i8 weights{};  // [units][inputs]
    bias_i32 bias{};
    htvm::requant requant{};
    const char* target = nullptr;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    weights_i8 arranged_weights{};         // optional: the weights in an accelerator's layout
    const char* arranged_layout = nullptr; // the name of that layout
    constexpr operator layer() const {
        layer l{};
        l.kind = op::dense;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.filters = units;
        l.weights = weights;
        l.bias = bias;
        l.rq = requant;
        l.target = target;
        l.arranged_weights = arranged_weights;
        l.arranged_layout = arranged_layout;
        return l;
    }
};

// Element-wise add of two same-shape tensors (residual connections). Either TFLite's arithmetic
// (each input with its own scale) or DIANA's (int32 sum, shift, clip).
struct add {
    const char* name = "";
    from lhs{};
    from rhs{};
    tflite_add_params tflite{};
    diana_requant diana{};
    bool use_tflite = false;  // set by the tflite form below
    const char* target = nullptr;
    constexpr operator layer() const {
        layer l{};
        l.kind = op::add;
        l.name = name;
        l.inputs[0] = lhs;
        l.inputs[1] = rhs;
        l.add_tflite = tflite;
        l.add_is_tflite = use_tflite;
        l.rq = diana;
        l.target = target;
        return l;
    }
};

struct tflite_add {
    const char* name = "";
    from lhs{};
    from rhs{};
    tflite_add_params params{};
    constexpr operator layer() const {
        return htvm::add{.name = name, .lhs = lhs, .rhs = rhs, .tflite = params, .use_tflite = true};
    }
};

// Average pool (TFLite rounding, divisor = number of non-padding elements). Input and output share
// their quantization, so only the fused activation clamp applies.
struct avg_pool {
    const char* name = "";
    from input{};
    hw window{2, 2};
    hw stride{2, 2};
    htvm::padding padding = valid;
    std::int32_t act_min = -128, act_max = 127;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    constexpr operator layer() const {
        layer l{};
        l.kind = op::avg_pool;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.kernel = window;
        l.stride = stride;
        l.pad = padding;
        l.rq = tflite_requant{.act_min = act_min, .act_max = act_max};
        return l;
    }
};

struct max_pool {
    const char* name = "";
    from input{};
    hw window{2, 2};
    hw stride{2, 2};
    htvm::padding padding = valid;
    std::int32_t act_min = -128, act_max = 127;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    constexpr operator layer() const {
        layer l{};
        l.kind = op::max_pool;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.kernel = window;
        l.stride = stride;
        l.pad = padding;
        l.rq = tflite_requant{.act_min = act_min, .act_max = act_max};
        return l;
    }
};

// Average over the whole H x W plane: output 1 x 1 x C.
struct global_avg_pool {
    const char* name = "";
    from input{};
    std::int32_t act_min = -128, act_max = 127;
    shape expect{0, 0, 0, 0};  // optional: the output shape you expect; checked at compile time
    constexpr operator layer() const {
        layer l{};
        l.kind = op::global_avg_pool;
        l.name = name;
        l.expect = expect;
        l.inputs[0] = input;
        l.rq = tflite_requant{.act_min = act_min, .act_max = act_max};
        return l;
    }
};

// Zero-copy: the output aliases the input's memory.
struct reshape {
    const char* name = "";
    from input{};
    shape to{};
    constexpr operator layer() const {
        layer l{};
        l.kind = op::reshape;
        l.name = name;
        l.inputs[0] = input;
        l.declared = to;
        return l;
    }
};

struct flatten {
    const char* name = "";
    from input{};
    constexpr operator layer() const {
        layer l{};
        l.kind = op::reshape;
        l.name = name;
        l.inputs[0] = input;
        l.declared = shape{0, 0, 0, 0};  // resolved by shape inference to 1 x 1 x 1 x elements
        return l;
    }
};

// TFLite int8 softmax over the channel axis; output scale 1/256, zero point -128.
struct softmax {
    const char* name = "";
    from input{};
    tflite_softmax_params params{};
    constexpr operator layer() const {
        layer l{};
        l.kind = op::softmax;
        l.name = name;
        l.inputs[0] = input;
        l.softmax = params;
        return l;
    }
};

// Clamp (ReLU, ReLU6, ...) of an int8 tensor, in its own units.
struct clip {
    const char* name = "";
    from input{};
    std::int32_t min = -128, max = 127;
    constexpr operator layer() const {
        layer l{};
        l.kind = op::clip;
        l.name = name;
        l.inputs[0] = input;
        l.rq = tflite_requant{.act_min = min, .act_max = max};
        return l;
    }
};

// ReLU of a tensor with zero point `zero_point`: max(x, zero_point).
struct relu {
    const char* name = "";
    from input{};
    std::int32_t zero_point = 0;
    constexpr operator layer() const { return clip{.name = name, .input = input, .min = zero_point}; }
};

// Constant padding of H and W (TFLite PAD on NHWC, batch and channels unpadded).
struct pad {
    const char* name = "";
    from input{};
    int top = 0, bottom = 0, left = 0, right = 0;
    std::int8_t value = 0;  // usually the input zero point
    constexpr operator layer() const {
        layer l{};
        l.kind = op::pad;
        l.name = name;
        l.inputs[0] = input;
        l.pad = pads(top, bottom, left, right);
        l.pad_value = value;
        return l;
    }
};

}  // namespace htvm
