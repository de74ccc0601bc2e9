// The TFLite front end, one operator at a time: each is checked against what TFLite and htvm both
// support, then lowered to the IR operator of the htvm builder that computes the same thing.
#include <cmath>

#include <htvm/kernels/softmax.hpp>

#include "tflite_lowering.hpp"
#include "tflite_subset_generated.h"

namespace htvm_import {

namespace {

const char* supported_operators =
    "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, SOFTMAX, PAD, "
    "RELU, RELU6, QUANTIZE (float input edge, or int8 to int8), DEQUANTIZE (output edge)";

std::string activation_name(fused_activation act) {
    const int value = static_cast<int>(act);
    if (value >= tflite::ActivationFunctionType_MIN && value <= tflite::ActivationFunctionType_MAX)
        return tflite::EnumNameActivationFunctionType(static_cast<tflite::ActivationFunctionType>(value));
    return "ACTIVATION_" + std::to_string(value);
}

// TFLite's requantization with one multiplier for the whole tensor.
ir::requant per_tensor(htvm::quantized_multiplier m, const ir::quantization& in_q, const ir::quantization& out_q,
                       activation_range range) {
    ir::requant rq;
    rq.multiplier = m.multiplier;
    rq.shift = m.shift;
    rq.input_zero_point = in_q.zero_point;
    rq.output_zero_point = out_q.zero_point;
    rq.act_min = range.min;
    rq.act_max = range.max;
    return rq;
}

}  // namespace

void tflite_lowering::lower_operator(const operator_record& op) {
    switch (op.code) {
        case tflite::BuiltinOperator_CONV_2D: return lower_conv(op, false);
        case tflite::BuiltinOperator_DEPTHWISE_CONV_2D: return lower_conv(op, true);
        case tflite::BuiltinOperator_FULLY_CONNECTED: return lower_fully_connected(op);
        case tflite::BuiltinOperator_ADD: return lower_add(op);
        case tflite::BuiltinOperator_AVERAGE_POOL_2D: return lower_pool(op, false);
        case tflite::BuiltinOperator_MAX_POOL_2D: return lower_pool(op, true);
        case tflite::BuiltinOperator_RESHAPE: return lower_reshape(op);
        case tflite::BuiltinOperator_SOFTMAX: return lower_softmax(op);
        case tflite::BuiltinOperator_PAD: return lower_pad(op);
        case tflite::BuiltinOperator_RELU: return lower_relu(op, false);
        case tflite::BuiltinOperator_RELU6: return lower_relu(op, true);
        case tflite::BuiltinOperator_QUANTIZE: return lower_requantize(op);
        case tflite::BuiltinOperator_DEQUANTIZE:
            throw import_error(op.describe() + " is not at the model output; DEQUANTIZE is supported only as the "
                               "last operator, writing the model's float output");
        default:
            throw import_error(op.describe() + " is not supported by htvm-import. Supported operators: " +
                               supported_operators);
    }
}

// ---- parameters shared by several operators ----------------------------------------------------

// The clamp of an activation function (fused, or a standalone RELU / RELU6) on `out_q`.
activation_range tflite_lowering::clamp_range(const operator_record& op, fused_activation act,
                                              const ir::quantization& out_q, const tensor& out) const {
    activation_range range;
    switch (int8_activation_range(act, out_q.scale, out_q.zero_point, range)) {
        case activation_status::ok: return range;
        case activation_status::out_of_range:
            throw import_error(op.describe() + ": the output " + out.describe() + " has scale " +
                               display_number(out_q.scale) + ", so the bounds of " + activation_name(act) + " (" +
                               (act == fused_activation::relu_n1_to_1 ? "-1 and 1" : "0 and 6") +
                               ") divided by the scale do not fit int32 (TFLite refuses such a model)");
        case activation_status::not_a_clamp: break;
    }
    throw import_error(op.describe() + " has fused activation " + activation_name(act) + " (value " +
                       std::to_string(static_cast<int>(act)) + "); only NONE, RELU, RELU6 and RELU_N1_TO_1 are supported");
}

activation_range tflite_lowering::fused_range(const operator_record& op, int fused, const ir::quantization& out_q) const {
    return clamp_range(op, static_cast<fused_activation>(fused), out_q, tensor_at(op.outputs.at(0)));
}

// TFLite's (multiplier, shift) for a real multiplier, refused when TFLite's arithmetic would not
// define the result (infinite, or a left shift over 30).
htvm::quantized_multiplier tflite_lowering::checked_multiplier(const operator_record& op, double real,
                                                               const std::string& what) const {
    if (!multiplier_in_range(real))
        throw import_error(op.describe() + ": the " + what + " rescale factor " + display_number(real) +
                           " is too large for TFLite's int32 requantization (at most 2^30)");
    return htvm::quantize_multiplier(real);
}

htvm::padding tflite_lowering::padding(const operator_record& op, int code) const {
    if (code != tflite::Padding_SAME && code != tflite::Padding_VALID)
        throw import_error(op.describe() + " has unknown padding " + std::to_string(code));
    return code == tflite::Padding_VALID ? htvm::valid : htvm::same;
}

void tflite_lowering::check_stride(const operator_record& op, int h, int w) const {
    if (h < 1 || w < 1)
        throw import_error(op.describe() + " has stride " + std::to_string(h) + "x" + std::to_string(w) +
                           "; strides must be at least 1");
}

// Filter quantization of a conv / depthwise: symmetric, per channel along `axis` or per tensor.
void tflite_lowering::check_filter(const operator_record& op, const tensor& filter, int channels, int axis) const {
    require_int8(filter, op.describe() + " filter");
    if (filter.scales.size() != 1 && filter.scales.size() != static_cast<std::size_t>(channels))
        throw import_error(op.describe() + ": filter " + filter.describe() + " has " +
                           std::to_string(filter.scales.size()) + " scales for " + std::to_string(channels) +
                           " output channels");
    if (filter.scales.size() > 1 && filter.quantized_dimension != axis)
        throw import_error(op.describe() + ": filter " + filter.describe() + " is quantized along axis " +
                           std::to_string(filter.quantized_dimension) + ", expected " + std::to_string(axis));
    for (std::int64_t zp : filter.zero_points)
        if (zp != 0)
            throw import_error(op.describe() + ": filter " + filter.describe() + " has zero point " + std::to_string(zp) +
                               "; TFLite int8 weights are symmetric (zero point 0)");
    for (float s : filter.scales)
        if (!(s >= 0) || !std::isfinite(s))
            throw import_error(op.describe() + ": filter " + filter.describe() + " has an invalid scale");
}

// The optional bias at input `position`: its index in the IR's int32 constants, or none.
int tflite_lowering::bias(const operator_record& op, std::size_t position, int channels) {
    if (position >= op.inputs.size() || op.inputs[position] < 0) return ir::no_constant;
    const tensor& b = constant_input(op, position, "bias");
    if (b.type != tflite::TensorType_INT32)
        throw import_error(op.describe() + ": bias " + b.describe() + " has type " + type_name(b.type) +
                           "; int8 layers need INT32 biases");
    if (b.elements() != channels)
        throw import_error(op.describe() + ": bias " + b.describe() + " has " + std::to_string(b.elements()) +
                           " elements for " + std::to_string(channels) + " output channels");
    return int32_constant(b);
}

// A conv's or depthwise conv's requantization but the clamp: per channel unless the filter has a
// single scale.
ir::requant tflite_lowering::conv_requant(const operator_record& op, const tensor& filter, int channels,
                                          const ir::quantization& in_q, const ir::quantization& out_q) const {
    if (filter.scales.size() == 1)
        return per_tensor(checked_multiplier(op, conv_channel_real_multiplier(in_q.scale, filter.scales[0], out_q.scale),
                                             "output"),
                          in_q, out_q, {});
    ir::requant rq = per_tensor({}, in_q, out_q, {});
    for (int c = 0; c < channels; ++c) {
        const htvm::quantized_multiplier q = checked_multiplier(
            op, conv_channel_real_multiplier(in_q.scale, filter.scales[static_cast<std::size_t>(c)], out_q.scale),
            "channel " + std::to_string(c));
        rq.multipliers.push_back(q.multiplier);
        rq.shifts.push_back(q.shift);
    }
    return rq;
}

// ---- operators -------------------------------------------------------------------------------

void tflite_lowering::lower_conv(const operator_record& op, bool depthwise) {
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    const tensor& filter = constant_input(op, 1, "filter");
    if (filter.shape.size() != 4)
        throw import_error(op.describe() + ": filter " + filter.describe() + " has rank " +
                           std::to_string(filter.shape.size()) + ", expected 4");

    int padding_code = 0, stride_h = 0, stride_w = 0, fused = 0, channels = 0;
    if (!depthwise) {
        const tflite::Conv2DOptions* o = raw(op)->builtin_options_as_Conv2DOptions();
        if (o == nullptr) throw import_error(op.describe() + " has no Conv2DOptions");
        if (o->dilation_h_factor() != 1 || o->dilation_w_factor() != 1)
            throw import_error(op.describe() + " uses dilation; not supported");
        if (o->quantized_bias_type() != tflite::TensorType_FLOAT32 && o->quantized_bias_type() != tflite::TensorType_INT32)
            throw import_error(op.describe() + " uses " + type_name(o->quantized_bias_type()) + " biases; not supported");
        padding_code = o->padding();
        stride_h = o->stride_h();
        stride_w = o->stride_w();
        fused = o->fused_activation_function();
        channels = filter.shape[0];
        if (filter.shape[3] != in_s.c)
            throw import_error(op.describe() + ": filter " + filter.describe() + " expects " +
                               std::to_string(filter.shape[3]) + " input channels, the input has " +
                               std::to_string(in_s.c) + " (grouped convolutions are not supported)");
        check_filter(op, filter, channels, 0);
    } else {
        const tflite::DepthwiseConv2DOptions* o = raw(op)->builtin_options_as_DepthwiseConv2DOptions();
        if (o == nullptr) throw import_error(op.describe() + " has no DepthwiseConv2DOptions");
        if (o->dilation_h_factor() != 1 || o->dilation_w_factor() != 1)
            throw import_error(op.describe() + " uses dilation; not supported");
        padding_code = o->padding();
        stride_h = o->stride_h();
        stride_w = o->stride_w();
        fused = o->fused_activation_function();
        channels = filter.shape[3];
        if (filter.shape[0] != 1)
            throw import_error(op.describe() + ": filter " + filter.describe() + " must have shape [1, H, W, C]");
        if (channels != in_s.c)
            throw import_error(op.describe() + " has depth multiplier " +
                               (in_s.c > 0 && channels % in_s.c == 0 ? std::to_string(channels / in_s.c)
                                                                    : std::string("?")) +
                               " (" + std::to_string(in_s.c) + " input, " + std::to_string(channels) +
                               " output channels); only depth multiplier 1 is supported");
        check_filter(op, filter, channels, 3);
    }
    const htvm::padding pad = padding(op, padding_code);
    check_stride(op, stride_h, stride_w);
    if (out_s.c != channels)
        throw import_error(op.describe() + ": output " + out.describe() + " has " + std::to_string(out_s.c) +
                           " channels, the filter " + std::to_string(channels));
    const int bias_index = bias(op, 2, channels);

    ir::requant rq = conv_requant(op, filter, channels, in_q, out_q);
    const activation_range range = fused_range(op, fused, out_q);
    rq.act_min = range.min;
    rq.act_max = range.max;

    const htvm::hw kernel{filter.shape[1], filter.shape[2]}, stride{stride_h, stride_w};
    const int weights = int8_constant_of_.at(filter.index);
    const std::string comment = op.describe() + " -> " + out.describe();
    if (depthwise)
        add(op, out, {in_t}, out_s, ir::depthwise_conv2d{kernel, stride, pad, weights, bias_index, std::move(rq)}, comment);
    else
        add(op, out, {in_t}, out_s, ir::conv2d{channels, kernel, stride, pad, weights, bias_index, std::move(rq)}, comment);
}

void tflite_lowering::lower_fully_connected(const operator_record& op) {
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    const tflite::FullyConnectedOptions* o = raw(op)->builtin_options_as_FullyConnectedOptions();
    const int fused = o != nullptr ? o->fused_activation_function() : 0;
    if (o != nullptr && o->weights_format() != tflite::FullyConnectedOptionsWeightsFormat_DEFAULT)
        throw import_error(op.describe() + " uses shuffled weights; not supported");
    if (o != nullptr && o->quantized_bias_type() != tflite::TensorType_FLOAT32 &&
        o->quantized_bias_type() != tflite::TensorType_INT32)
        throw import_error(op.describe() + " uses " + type_name(o->quantized_bias_type()) + " biases; not supported");

    const tensor& filter = constant_input(op, 1, "filter");
    require_int8(filter, op.describe() + " filter");
    if (filter.shape.size() != 2)
        throw import_error(op.describe() + ": filter " + filter.describe() + " has rank " +
                           std::to_string(filter.shape.size()) + ", expected 2 ([units, features])");
    const int units = filter.shape[0], features = filter.shape[1];
    if (tensor_at(in_t).elements() != features)
        throw import_error(op.describe() + ": the input " + tensor_at(in_t).describe() + " has " +
                           std::to_string(tensor_at(in_t).elements()) + " elements, the filter expects " +
                           std::to_string(features) + " (batched fully connected is not supported)");
    if (filter.scales.size() != 1)
        throw import_error(op.describe() + ": filter " + filter.describe() +
                           " is quantized per channel; only per-tensor fully connected weights are supported");
    for (std::int64_t zp : filter.zero_points)
        if (zp != 0)
            throw import_error(op.describe() + ": filter " + filter.describe() + " has zero point " + std::to_string(zp) +
                               "; only symmetric weights are supported");
    if (out_s.elements() != units)
        throw import_error(op.describe() + ": output " + out.describe() + " does not have " + std::to_string(units) +
                           " elements");
    const int bias_index = bias(op, 2, units);
    const htvm::quantized_multiplier q =
        checked_multiplier(op, fully_connected_real_multiplier(in_q.scale, filter.scales[0], out_q.scale), "output");
    const activation_range range = fused_range(op, fused, out_q);
    add(op, out, {in_t}, htvm::shape{1, 1, 1, units},
        ir::dense{units, int8_constant_of_.at(filter.index), bias_index, per_tensor(q, in_q, out_q, range)},
        op.describe() + " -> " + out.describe());
}

void tflite_lowering::lower_add(const operator_record& op) {
    if (op.inputs.size() != 2) throw import_error(op.describe() + " does not have two inputs");
    const int a = activation_input(op, 0), b = activation_input(op, 1);
    const tensor& out = single_output(op);
    const ir::quantization qa = quantization(tensor_at(a), op.describe() + " input 0");
    const ir::quantization qb = quantization(tensor_at(b), op.describe() + " input 1");
    const ir::quantization qo = quantization(out, op.describe() + " output");
    const htvm::shape sa = shape_of(tensor_at(a), op.describe()), sb = shape_of(tensor_at(b), op.describe()),
                      so = shape_of(out, op.describe());
    if (!(sa == sb) || !(sa == so))
        throw import_error(op.describe() + " adds tensors of shapes " + ir::text(sa) + " and " + ir::text(sb) + " into " +
                           ir::text(so) + "; broadcasting ADD is not supported");
    const tflite::AddOptions* o = raw(op)->builtin_options_as_AddOptions();
    const activation_range range = fused_range(op, o != nullptr ? o->fused_activation_function() : 0, qo);
    const add_multipliers p = add_parameters(qa.scale, qb.scale, qo.scale);
    checked_multiplier(op, p.real_output, "output");
    const htvm::tflite_add_params params{
        .input1_zero_point = qa.zero_point, .input2_zero_point = qb.zero_point, .output_zero_point = qo.zero_point,
        .left_shift = p.left_shift, .input1_multiplier = p.input1.multiplier, .input1_shift = p.input1.shift,
        .input2_multiplier = p.input2.multiplier, .input2_shift = p.input2.shift,
        .output_multiplier = p.output.multiplier, .output_shift = p.output.shift, .act_min = range.min,
        .act_max = range.max};
    add(op, out, {a, b}, so, ir::add{params}, op.describe() + " -> " + out.describe());
}

void tflite_lowering::lower_pool(const operator_record& op, bool is_max) {
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    if (!(in_q == out_q))
        throw import_error(op.describe() + ": input and output quantization differ (scale " +
                           display_number(in_q.scale) + " zp " + std::to_string(in_q.zero_point) + " vs scale " +
                           display_number(out_q.scale) + " zp " + std::to_string(out_q.zero_point) +
                           "); TFLite requires them equal for int8 pooling");
    const tflite::Pool2DOptions* o = raw(op)->builtin_options_as_Pool2DOptions();
    if (o == nullptr) throw import_error(op.describe() + " has no Pool2DOptions");
    const htvm::padding pad = padding(op, o->padding());
    check_stride(op, o->stride_h(), o->stride_w());
    if (o->filter_height() < 1 || o->filter_width() < 1) throw import_error(op.describe() + " has an empty pooling window");
    const activation_range range = fused_range(op, o->fused_activation_function(), out_q);
    const ir::pool pool{{o->filter_height(), o->filter_width()}, {o->stride_h(), o->stride_w()}, pad, range.min, range.max};
    const std::string comment = op.describe() + " -> " + out.describe();
    if (is_max) add(op, out, {in_t}, out_s, ir::max_pool{pool}, comment);
    else add(op, out, {in_t}, out_s, ir::avg_pool{pool}, comment);
}

void tflite_lowering::lower_reshape(const operator_record& op) {
    const int in_t = activation_input(op, 0);
    const tensor& out = single_output(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    if (tensor_at(in_t).elements() != out.elements())
        throw import_error(op.describe() + " changes the element count (" + std::to_string(tensor_at(in_t).elements()) +
                           " -> " + std::to_string(out.elements()) + ")");
    // A reshape only renames bytes (TFLite copies them unchanged, whatever the quantization).
    add(op, out, {in_t}, out_s, ir::reshape{}, op.describe() + " -> " + out.describe());
}

void tflite_lowering::lower_softmax(const operator_record& op) {
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    // TFLite's int8 softmax writes scale 1/256, zero point -128 (checked to 0.1% by TFLite too).
    if (out_q.zero_point != -128 || std::fabs(out_q.scale - 1.0f / 256) > 0.001f * (1.0f / 256))
        throw import_error(op.describe() + ": output " + out.describe() + " has scale " + display_number(out_q.scale) +
                           " zero point " + std::to_string(out_q.zero_point) +
                           "; int8 softmax needs scale 1/256 and zero point -128");
    const tflite::SoftmaxOptions* o = raw(op)->builtin_options_as_SoftmaxOptions();
    const float beta = o != nullptr ? o->beta() : 0.0f;
    if (!std::isfinite(beta))
        throw import_error(op.describe() + " has beta " + display_number(beta) + "; beta must be finite");
    if (!htvm::tflite_softmax_params_supported(static_cast<double>(beta), static_cast<double>(in_q.scale)))
        throw import_error(op.describe() + ": beta " + display_number(beta) + " times the input scale " +
                           display_number(in_q.scale) + " is too small for TFLite's int8 softmax");
    add(op, out, {in_t}, out_s, ir::softmax{beta, in_q.scale},
        op.describe() + " -> " + out.describe() + ", beta " + display_number(beta) + ", input scale " +
            display_number(in_q.scale));
}

void tflite_lowering::lower_pad(const operator_record& op) {
    if (op.inputs.size() != 2)
        throw import_error(op.describe() + " has " + std::to_string(op.inputs.size()) +
                           " inputs; PAD with constant values (PADV2 form) is not supported");
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    if (!(in_q == out_q))
        throw import_error(op.describe() + ": input and output quantization differ; TFLite requires them equal");
    const tensor& paddings = constant_input(op, 1, "paddings");
    const int rank = static_cast<int>(tensor_at(in_t).shape.size());
    if (paddings.shape.size() != 2 || paddings.shape[0] != rank || paddings.shape[1] != 2 ||
        (paddings.type != tflite::TensorType_INT32 && paddings.type != tflite::TensorType_INT64))
        throw import_error(op.describe() + ": paddings " + paddings.describe() +
                           " must be an INT32 or INT64 constant of shape [rank, 2]");
    std::vector<long long> p;
    for (int i = 0; i < 2 * rank; ++i) {
        const std::uint8_t* at = paddings.data + (paddings.type == tflite::TensorType_INT32 ? 4 : 8) * i;
        p.push_back(paddings.type == tflite::TensorType_INT32 ? read_i32(at) : read_i64(at));
    }
    for (long long v : p)
        if (v < 0 || v > 1 << 20) throw import_error(op.describe() + " has a negative or huge padding");
    if (rank != 4 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0)
        throw import_error(op.describe() + " pads other axes than H and W of a 4-D tensor; not supported");
    // TFLite pads quantized tensors with the output zero point.
    const ir::pad pad{static_cast<int>(p[2]), static_cast<int>(p[3]), static_cast<int>(p[4]), static_cast<int>(p[5]),
                      static_cast<std::int8_t>(out_q.zero_point)};
    add(op, out, {in_t}, out_s, pad, op.describe() + " -> " + out.describe() + ", shape " + ir::text(out_s));
}

// A pure rescale out = clamp(out_zp + M * (in - in_zp)).
void tflite_lowering::add_rescale(const operator_record& op, int in_t, const tensor& out, htvm::quantized_multiplier m,
                                  const ir::quantization& in_q, const ir::quantization& out_q, activation_range range) {
    const htvm::shape out_s = shape_of(out, op.describe() + " output");
    add(op, out, {in_t}, out_s, ir::rescale{per_tensor(m, in_q, out_q, range)},
        op.describe() + " -> " + out.describe() + " (a rescale)");
}

void tflite_lowering::lower_relu(const operator_record& op, bool six) {
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const auto [in_s, out_s] = shapes(op, in_t, out);
    if (!(in_s == out_s)) throw import_error(op.describe() + " changes the shape");
    const activation_range range = clamp_range(op, six ? fused_activation::relu6 : fused_activation::relu, out_q, out);
    if (in_q == out_q) {
        // Same quantization: TFLite's rescale by 1.0 is the identity, so only the clamp remains.
        add(op, out, {in_t}, in_s, ir::clip{range.min, range.max}, op.describe() + " -> " + out.describe());
    } else {
        add_rescale(op, in_t, out, checked_multiplier(op, relu_real_multiplier(in_q.scale, out_q.scale), "input to output"),
                    in_q, out_q, range);
    }
}

// QUANTIZE int8 -> int8 in the graph: TFLite's Requantize (effective scale in double).
void tflite_lowering::lower_requantize(const operator_record& op) {
    if (op.inputs.empty() || op.inputs[0] < 0) throw import_error(op.describe() + " lacks its input");
    const tensor& source = tensor_at(op.inputs[0]);
    if (source.type != tflite::TensorType_INT8)
        throw import_error(op.describe() + " quantizes " + source.describe() + " of type " + type_name(source.type) +
                           "; QUANTIZE from float is supported only on the model input");
    const auto& [in_t, out, in_q, out_q] = quantized_operands(op);
    const htvm::quantized_multiplier m =
        checked_multiplier(op, static_cast<double>(in_q.scale) / static_cast<double>(out_q.scale), "input to output");
    add_rescale(op, in_t, out, m, in_q, out_q, activation_range{});
}

}  // namespace htvm_import
