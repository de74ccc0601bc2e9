// The TFLite front end's checks of tensors and of the graph as a whole; tflite_operators.cpp lowers
// the operators themselves.
#include "tflite_frontend.hpp"

#include <cmath>

#include "tflite_lowering.hpp"
#include "tflite_subset_generated.h"

namespace htvm_import {

namespace {

std::string lower_case(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// TFLite's operand counts of every operator htvm-import lowers (each kernel's Prepare checks
// them): an operator with other counts (say a CONV_2D relabelled as RELU) is refused, instead of
// its extra operands being dropped silently. -1 (an omitted input) only where TFLite allows it.
struct operand_rule {
    int code;
    int min_inputs, max_inputs, outputs;
    int optional_input;  // the input position that may be -1, or -1
    const char* inputs_text;
};
constexpr operand_rule operand_rules[] = {
    {tflite::BuiltinOperator_CONV_2D, 2, 3, 1, 2, "input, filter and an optional bias"},
    {tflite::BuiltinOperator_DEPTHWISE_CONV_2D, 2, 3, 1, 2, "input, filter and an optional bias"},
    {tflite::BuiltinOperator_FULLY_CONNECTED, 2, 3, 1, 2, "input, weights and an optional bias"},
    {tflite::BuiltinOperator_ADD, 2, 2, 1, -1, "two inputs"},
    {tflite::BuiltinOperator_AVERAGE_POOL_2D, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_MAX_POOL_2D, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_RESHAPE, 1, 2, 1, 1, "an input and an optional shape"},
    {tflite::BuiltinOperator_SOFTMAX, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_PAD, 2, 3, 1, -1, "an input, the paddings and (PADV2 form) a value"},
    {tflite::BuiltinOperator_RELU, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_RELU6, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_QUANTIZE, 1, 1, 1, -1, "one input"},
    {tflite::BuiltinOperator_DEQUANTIZE, 1, 1, 1, -1, "one input"},
};

}  // namespace

ir::network tflite_to_ir(const tflite_model& model) { return tflite_lowering(model).run(); }

ir::network tflite_lowering::run() {
    for (const operator_record& op : model_.operators) check_operand_counts(op);
    find_edges();
    add_int8_constants();
    add_input();
    for (const operator_record& op : model_.operators) {
        if (skipped_.count(op.index) != 0) continue;
        lower_operator(op);
    }
    if (net_.ops.back().origin.tensor != output_tensor_)
        throw import_error(tensor_at(output_tensor_).describe() +
                           " (the model's output) is not produced by the last operator; htvm's model output "
                           "is its last layer");
    net_.format = "TFLite";
    net_.description = model_.description;
    net_.tensor_count = static_cast<int>(model_.tensors.size());
    net_.input = edge("input_quantization", input_tensor_, float_input_tensor_);
    net_.output = edge("output_quantization", output_tensor_, float_output_tensor_);
    return std::move(net_);
}

// ---- tensors ---------------------------------------------------------------------------------

ir::quantization tflite_lowering::quantization(const tensor& t, const std::string& who) const {
    if (t.scales.size() != 1 || t.zero_points.size() > 1)
        throw import_error(who + ": " + t.describe() +
                           (t.scales.empty() ? " is not quantized" : " is quantized per channel") +
                           "; htvm needs one scale and zero point per activation tensor");
    const float scale = t.scales[0];
    if (!(scale > 0) || !std::isfinite(scale))
        throw import_error(who + ": " + t.describe() + " has an invalid scale " + display_number(scale));
    const std::int64_t zero_point = t.zero_points.empty() ? 0 : t.zero_points[0];
    if (zero_point < -128 || zero_point > 127)
        throw import_error(who + ": " + t.describe() + " has zero point " + std::to_string(zero_point) +
                           ", outside int8");
    return {scale, static_cast<std::int32_t>(zero_point)};
}

htvm::shape tflite_lowering::shape_of(const tensor& t, const std::string& who) const {
    std::vector<int> dims = t.shape;
    while (dims.size() > 4 && dims.front() == 1) dims.erase(dims.begin());
    if (dims.size() > 4)
        throw import_error(who + ": " + t.describe() + " has rank " + std::to_string(t.shape.size()) +
                           "; htvm tensors are at most 4-D (NHWC)");
    while (dims.size() < 4) dims.insert(dims.begin(), 1);
    for (int d : dims)
        if (d < 1) throw import_error(who + ": " + t.describe() + " has an empty dimension");
    if (dims[0] != 1)
        throw import_error(who + ": " + t.describe() + " has batch " + std::to_string(dims[0]) + "; htvm runs batch 1");
    return {dims[0], dims[1], dims[2], dims[3]};
}

void tflite_lowering::require_int8(const tensor& t, const std::string& who) const {
    if (t.type != tflite::TensorType_INT8)
        throw import_error(who + ": " + t.describe() + " has type " + type_name(t.type) +
                           "; htvm runs int8 tensors only (int32 for biases)");
}

// The activation feeding input `position` of `op`: an int8, non-constant tensor produced earlier.
int tflite_lowering::activation_input(const operator_record& op, std::size_t position) const {
    if (position >= op.inputs.size() || op.inputs[position] < 0)
        throw import_error(op.describe() + " lacks its input " + std::to_string(position));
    const tensor& t = tensor_at(op.inputs[position]);
    require_int8(t, op.describe());
    if (t.is_constant())
        throw import_error(op.describe() + ": a constant operand (" + t.describe() +
                           ") where htvm expects an activation is not supported");
    if (layer_of_tensor_.count(t.index) == 0)
        throw import_error(op.describe() + " reads " + t.describe() + ", which no earlier operator produces");
    return t.index;
}

const tensor& tflite_lowering::constant_input(const operator_record& op, std::size_t position, const char* role) const {
    if (position >= op.inputs.size() || op.inputs[position] < 0)
        throw import_error(op.describe() + " lacks its " + role + " input");
    const tensor& t = tensor_at(op.inputs[position]);
    if (!t.is_constant())
        throw import_error(op.describe() + ": its " + role + " (" + t.describe() + ") is not a constant; only constant " +
                           role + "s are supported");
    return t;
}

const tensor& tflite_lowering::single_output(const operator_record& op) const {
    if (op.outputs.size() != 1)
        throw import_error(op.describe() + " has " + std::to_string(op.outputs.size()) + " outputs; expected exactly one");
    const tensor& t = tensor_at(op.outputs[0]);
    require_int8(t, op.describe());
    if (t.is_constant()) throw import_error(op.describe() + " writes into a constant tensor " + t.describe());
    if (layer_of_tensor_.count(t.index) != 0)
        throw import_error(op.describe() + " writes " + t.describe() + ", which an earlier operator already wrote");
    return t;
}

tflite_lowering::operands tflite_lowering::quantized_operands(const operator_record& op) const {
    const int in = activation_input(op, 0);
    const tensor& out = single_output(op);
    const ir::quantization in_q = quantization(tensor_at(in), op.describe() + " input");
    return {in, out, in_q, quantization(out, op.describe() + " output")};
}

std::pair<htvm::shape, htvm::shape> tflite_lowering::shapes(const operator_record& op, int in, const tensor& out) const {
    const htvm::shape in_s = shape_of(tensor_at(in), op.describe() + " input");
    return {in_s, shape_of(out, op.describe() + " output")};
}

const tflite::Operator* tflite_lowering::raw(const operator_record& op) const {
    return static_cast<const tflite::Operator*>(op.options);
}

// An int32 constant (a bias) in net_, once however many operators read it.
int tflite_lowering::int32_constant(const tensor& t) {
    const auto [at, added] = int32_constant_of_.emplace(t.index, static_cast<int>(net_.int32_constants.size()));
    if (added) {
        ir::constant<std::int32_t> c{t.index, t.summary(), std::vector<std::int32_t>(t.data_bytes / 4)};
        for (std::size_t i = 0; i < c.values.size(); ++i) c.values[i] = read_i32(t.data + 4 * i);
        net_.int32_constants.push_back(std::move(c));
    }
    return at->second;
}

// ---- the graph -------------------------------------------------------------------------------

void tflite_lowering::check_operand_counts(const operator_record& op) const {
    for (const operand_rule& rule : operand_rules) {
        if (rule.code != op.code) continue;
        const int inputs = static_cast<int>(op.inputs.size()), outputs = static_cast<int>(op.outputs.size());
        const std::string name = operator_name(op.code);
        if (inputs < rule.min_inputs || inputs > rule.max_inputs)
            throw import_error(op.describe() + " has " + std::to_string(inputs) + " inputs; " + name + " takes " +
                               (rule.min_inputs == rule.max_inputs
                                    ? std::to_string(rule.min_inputs)
                                    : std::to_string(rule.min_inputs) + " or " + std::to_string(rule.max_inputs)) +
                               " (" + rule.inputs_text + ")");
        if (outputs != rule.outputs)
            throw import_error(op.describe() + " has " + std::to_string(outputs) + " outputs; " + name + " has " +
                               std::to_string(rule.outputs));
        for (int i = 0; i < inputs; ++i)
            if (op.inputs[static_cast<std::size_t>(i)] < 0 && i != rule.optional_input)
                throw import_error(op.describe() + " omits its input " + std::to_string(i) + " (tensor -1); " + name +
                                   " needs it");
        return;
    }
}

std::vector<const operator_record*> tflite_lowering::consumers(int tensor_index) const {
    std::vector<const operator_record*> out;
    for (const operator_record& op : model_.operators)
        for (int t : op.inputs)
            if (t == tensor_index) {
                out.push_back(&op);
                break;
            }
    return out;
}

void tflite_lowering::find_edges() {
    if (model_.inputs.size() != 1)
        throw import_error("the model has " + std::to_string(model_.inputs.size()) +
                           " input tensors; htvm models have exactly one");
    if (model_.outputs.size() != 1)
        throw import_error("the model has " + std::to_string(model_.outputs.size()) +
                           " output tensors; htvm models have exactly one");
    if (model_.operators.empty()) throw import_error("the model has no operators");
    input_tensor_ = model_.inputs[0];
    output_tensor_ = model_.outputs[0];

    const tensor& in = tensor_at(input_tensor_);
    if (in.type == tflite::TensorType_FLOAT32) {
        // A float input followed by QUANTIZE: the htvm model starts at the quantized tensor.
        const auto users = consumers(input_tensor_);
        if (users.size() != 1 || users[0]->code != tflite::BuiltinOperator_QUANTIZE)
            throw import_error("the model input " + in.describe() +
                               " is FLOAT32; htvm accepts a float input only when a single QUANTIZE to int8 reads it");
        skipped_.insert(users[0]->index);
        float_input_tensor_ = input_tensor_;
        input_tensor_ = single_output(*users[0]).index;
    }
    const tensor& out = tensor_at(output_tensor_);
    if (out.type == tflite::TensorType_FLOAT32) {
        const operator_record* producer = nullptr;
        for (const operator_record& op : model_.operators)
            for (int t : op.outputs)
                if (t == output_tensor_) producer = &op;
        if (producer == nullptr || producer->code != tflite::BuiltinOperator_DEQUANTIZE || producer->inputs.empty() ||
            producer->inputs[0] < 0)
            throw import_error("the model output " + out.describe() +
                               " is FLOAT32; htvm accepts a float output only when a DEQUANTIZE from int8 writes it");
        skipped_.insert(producer->index);
        float_output_tensor_ = output_tensor_;
        output_tensor_ = producer->inputs[0];
    }
}

void tflite_lowering::add_int8_constants() {
    for (const tensor& t : model_.tensors) {
        if (!t.is_constant() || t.type != tflite::TensorType_INT8) continue;
        ir::constant<std::int8_t> c{t.index, t.summary(), std::vector<std::int8_t>(t.data_bytes)};
        for (std::size_t i = 0; i < t.data_bytes; ++i) c.values[i] = static_cast<std::int8_t>(t.data[i]);
        int8_constant_of_[t.index] = static_cast<int>(net_.int8_constants.size());
        net_.int8_constants.push_back(std::move(c));
    }
}

void tflite_lowering::add_input() {
    const tensor& in = tensor_at(input_tensor_);
    require_int8(in, "the model input");
    if (in.is_constant()) throw import_error("the model input " + in.describe() + " is a constant");
    quantization(in, "the model input");
    const htvm::shape s = shape_of(in, "the model input");
    layer_of_tensor_[in.index] = 0;
    net_.ops.push_back({"input_t" + std::to_string(in.index), {}, s, ir::input{}, {in.index, "input", in.summary()}});
}

// Appends the operator that lowers `op`, named after its TFLite operator and output tensor.
void tflite_lowering::add(const operator_record& op, const tensor& out, std::vector<int> input_tensors,
                          htvm::shape output, ir::parameters params, std::string comment) {
    for (int& t : input_tensors) t = layer_of_tensor_.at(t);
    const std::string name = operator_name(op.code);
    layer_of_tensor_[out.index] = static_cast<int>(net_.ops.size());
    net_.ops.push_back({lower_case(name) + "_t" + std::to_string(out.index), std::move(input_tensors), output,
                        std::move(params), {out.index, name, std::move(comment)}});
}

ir::edge tflite_lowering::edge(const char* name, int tensor_index, int float_tensor) const {
    const tensor& t = tensor_at(tensor_index);
    return {tensor_index, float_tensor, quantization(t, name), t.describe()};
}

}  // namespace htvm_import
