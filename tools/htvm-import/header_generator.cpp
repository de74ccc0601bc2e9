#include "header_generator.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include <htvm/kernels/softmax.hpp>

#include "tflite_arithmetic.hpp"
#include "tflite_subset_generated.h"

namespace htvm_import {

namespace {

struct shape4 {
    int n = 1, h = 1, w = 1, c = 1;
    // shape_of builds shapes from tensors within limits::max_tensor_elements; saturating all the
    // same, so that no shape can overflow the product.
    long long elements() const {
        constexpr long long cap = 1LL << 40;
        long long count = 1;
        for (int d : {n, h, w, c}) {
            if (d <= 0) return 0;
            count = count > cap / d ? cap : count * d;
        }
        return count;
    }
    bool operator==(const shape4& o) const { return n == o.n && h == o.h && w == o.w && c == o.c; }
    std::string text() const {
        return "{" + std::to_string(n) + ", " + std::to_string(h) + ", " + std::to_string(w) + ", " + std::to_string(c) + "}";
    }
};

struct quant {
    float scale = 0;
    std::int32_t zero_point = 0;
    bool operator==(const quant& o) const { return scale == o.scale && zero_point == o.zero_point; }
};

std::string float_literal(float v) {
    char text[64];
    std::snprintf(text, sizeof text, "%af", static_cast<double>(v));  // hexadecimal: exact
    return text;
}

std::string float_comment(float v) {
    char text[64];
    std::snprintf(text, sizeof text, "%.9g", static_cast<double>(v));
    return text;
}

// Strings from the file (and the model's file name) go into // comments only, escaped: one line,
// printable, no backslash (see display_text).
std::string printable(const std::string& text, std::size_t limit = 110) { return display_text(text, limit); }

// The generated text, checked once more as a whole: printable ASCII, tabs and newlines only, no line
// continuation, and the only preprocessor lines the generator writes. A string from the file that
// got through unescaped would fail here instead of reaching a compiler: a bug of the importer, not a
// problem of the model, hence std::logic_error (exit status 5, a crash for the fuzzer).
void check_generated_text(const std::string& text) {
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            if (i > 0 && text[i - 1] == '\\')
                throw std::logic_error("the generated header would continue a line with a backslash");
            const std::string line = text.substr(line_start, i - line_start);
            const std::size_t first = line.find_first_not_of(" \t");
            if (first != std::string::npos && line[first] == '#' && line != "#pragma once" &&
                line != "#include <cstdint>" && line != "#include <htvm/htvm.hpp>")
                throw std::logic_error("the generated header would contain the line '" + display_text(line) + "'");
            line_start = i + 1;
        } else if ((byte < 32 && byte != '\t') || byte >= 127) {
            throw std::logic_error("the generated header would contain the byte " + std::to_string(byte));
        }
    }
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::int32_t read_i32(const std::uint8_t* p) {  // TFLite buffers are little-endian
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                     static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
}
std::int64_t read_i64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
    return static_cast<std::int64_t>(v);
}

template <class Values>
std::string number_list(const Values& values, int per_line) {
    std::string out;
    int column = 0;
    for (const auto& v : values) {
        out += column == 0 ? "\n    " : " ";
        out += std::to_string(v);
        out += ",";
        if (++column == per_line) column = 0;
    }
    return out + "\n";
}

const char* supported_operators =
    "CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, SOFTMAX, PAD, "
    "RELU, RELU6, QUANTIZE (float input edge, or int8 to int8), DEQUANTIZE (output edge)";

class lowering {
public:
    lowering(const tflite_model& model, const header_options& options) : model_(model), options_(options) {}

    std::string run() {
        for (const operator_record& op : model_.operators) check_operand_counts(op);
        find_edges();
        emit_int8_constants();
        emit_input_layer();
        for (const operator_record& op : model_.operators) {
            if (skipped_.count(op.index) != 0) continue;
            lower_operator(op);
        }
        if (layer_tensor_.back() != output_tensor_)
            throw import_error(tensor_at(output_tensor_).describe() +
                               " (the model's output) is not produced by the last operator; htvm's model output "
                               "is its last layer");
        return assemble();
    }

private:
    const tflite_model& model_;
    const header_options& options_;

    int input_tensor_ = -1, output_tensor_ = -1;  // the int8 tensors the htvm model starts and ends with
    int float_input_tensor_ = -1, float_output_tensor_ = -1;
    std::set<int> skipped_;  // QUANTIZE / DEQUANTIZE operators at the edges

    std::map<int, int> layer_of_tensor_;  // activation tensor -> htvm layer that produces it
    std::vector<int> layer_tensor_;
    std::vector<std::string> layer_operator_;
    std::vector<std::string> layers_;
    std::vector<int> int8_constant_tensors_;
    std::string constants_;   // arrays, in emission order
    std::set<std::string> emitted_;
    std::string summary_;

    // ---- tensors -------------------------------------------------------------------------

    const htvm_import::tensor& tensor_at(int index) const { return model_.tensors.at(static_cast<std::size_t>(index)); }

    quant quantization(const htvm_import::tensor& t, const std::string& who) const {
        if (t.scales.size() != 1 || t.zero_points.size() > 1)
            throw import_error(who + ": " + t.describe() +
                               (t.scales.empty() ? " is not quantized" : " is quantized per channel") +
                               "; htvm needs one scale and zero point per activation tensor");
        const float scale = t.scales[0];
        if (!(scale > 0) || !std::isfinite(scale))
            throw import_error(who + ": " + t.describe() + " has an invalid scale " + float_comment(scale));
        const std::int64_t zero_point = t.zero_points.empty() ? 0 : t.zero_points[0];
        if (zero_point < -128 || zero_point > 127)
            throw import_error(who + ": " + t.describe() + " has zero point " + std::to_string(zero_point) +
                               ", outside int8");
        return {scale, static_cast<std::int32_t>(zero_point)};
    }

    shape4 shape_of(const htvm_import::tensor& t, const std::string& who) const {
        std::vector<int> dims = t.shape;
        while (dims.size() > 4 && dims.front() == 1) dims.erase(dims.begin());
        if (dims.size() > 4)
            throw import_error(who + ": " + t.describe() + " has rank " + std::to_string(t.shape.size()) +
                               "; htvm tensors are at most 4-D (NHWC)");
        while (dims.size() < 4) dims.insert(dims.begin(), 1);
        for (int d : dims)
            if (d < 1) throw import_error(who + ": " + t.describe() + " has an empty dimension");
        if (dims[0] != 1)
            throw import_error(who + ": " + t.describe() + " has batch " + std::to_string(dims[0]) +
                               "; htvm runs batch 1");
        return {dims[0], dims[1], dims[2], dims[3]};
    }

    void require_int8(const htvm_import::tensor& t, const std::string& who) const {
        if (t.type != tflite::TensorType_INT8)
            throw import_error(who + ": " + t.describe() + " has type " + type_name(t.type) +
                               "; htvm runs int8 tensors only (int32 for biases)");
    }

    // The activation feeding input `position` of `op`: an int8, non-constant tensor produced earlier.
    int activation_input(const operator_record& op, std::size_t position) const {
        if (position >= op.inputs.size() || op.inputs[position] < 0)
            throw import_error(op.describe() + " lacks its input " + std::to_string(position));
        const htvm_import::tensor& t = tensor_at(op.inputs[position]);
        require_int8(t, op.describe());
        if (t.is_constant())
            throw import_error(op.describe() + ": a constant operand (" + t.describe() +
                               ") where htvm expects an activation is not supported");
        if (layer_of_tensor_.count(t.index) == 0)
            throw import_error(op.describe() + " reads " + t.describe() + ", which no earlier operator produces");
        return t.index;
    }

    const htvm_import::tensor& constant_input(const operator_record& op, std::size_t position, const char* role) const {
        if (position >= op.inputs.size() || op.inputs[position] < 0)
            throw import_error(op.describe() + " lacks its " + role + " input");
        const htvm_import::tensor& t = tensor_at(op.inputs[position]);
        if (!t.is_constant())
            throw import_error(op.describe() + ": its " + role + " (" + t.describe() +
                               ") is not a constant; only constant " + role + "s are supported");
        return t;
    }

    const htvm_import::tensor& single_output(const operator_record& op) const {
        if (op.outputs.size() != 1)
            throw import_error(op.describe() + " has " + std::to_string(op.outputs.size()) +
                               " outputs; expected exactly one");
        const htvm_import::tensor& t = tensor_at(op.outputs[0]);
        require_int8(t, op.describe());
        if (t.is_constant()) throw import_error(op.describe() + " writes into a constant tensor " + t.describe());
        if (layer_of_tensor_.count(t.index) != 0)
            throw import_error(op.describe() + " writes " + t.describe() + ", which an earlier operator already wrote");
        return t;
    }

    const tflite::Operator* raw(const operator_record& op) const {
        return static_cast<const tflite::Operator*>(op.options);
    }

    // ---- operand counts ------------------------------------------------------------------

    // TFLite's operand counts of every operator htvm-import lowers (each kernel's Prepare checks
    // them): an operator with other counts (say a CONV_2D relabelled as RELU) is refused, instead of
    // its extra operands being dropped silently. -1 (an omitted input) only where TFLite allows it.
    struct operand_rule {
        int code;
        int min_inputs, max_inputs, outputs;
        int optional_input;  // the input position that may be -1, or -1
        const char* inputs_text;
    };
    static constexpr operand_rule operand_rules[] = {
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

    void check_operand_counts(const operator_record& op) const {
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

    // ---- edges ---------------------------------------------------------------------------

    std::vector<const operator_record*> consumers(int tensor_index) const {
        std::vector<const operator_record*> out;
        for (const operator_record& op : model_.operators)
            for (int t : op.inputs)
                if (t == tensor_index) { out.push_back(&op); break; }
        return out;
    }

    void find_edges() {
        if (model_.inputs.size() != 1)
            throw import_error("the model has " + std::to_string(model_.inputs.size()) +
                               " input tensors; htvm models have exactly one");
        if (model_.outputs.size() != 1)
            throw import_error("the model has " + std::to_string(model_.outputs.size()) +
                               " output tensors; htvm models have exactly one");
        if (model_.operators.empty()) throw import_error("the model has no operators");
        input_tensor_ = model_.inputs[0];
        output_tensor_ = model_.outputs[0];

        const htvm_import::tensor& in = tensor_at(input_tensor_);
        if (in.type == tflite::TensorType_FLOAT32) {
            // A float input followed by QUANTIZE: the htvm model starts at the quantized tensor.
            const auto users = consumers(input_tensor_);
            if (users.size() != 1 || users[0]->code != tflite::BuiltinOperator_QUANTIZE)
                throw import_error("the model input " + in.describe() +
                                   " is FLOAT32; htvm accepts a float input only when a single QUANTIZE to int8 "
                                   "reads it");
            skipped_.insert(users[0]->index);
            float_input_tensor_ = input_tensor_;
            input_tensor_ = single_output(*users[0]).index;
        }
        const htvm_import::tensor& out = tensor_at(output_tensor_);
        if (out.type == tflite::TensorType_FLOAT32) {
            const operator_record* producer = nullptr;
            for (const operator_record& op : model_.operators)
                for (int t : op.outputs)
                    if (t == output_tensor_) producer = &op;
            if (producer == nullptr || producer->code != tflite::BuiltinOperator_DEQUANTIZE || producer->inputs.empty() ||
                producer->inputs[0] < 0)
                throw import_error("the model output " + out.describe() +
                                   " is FLOAT32; htvm accepts a float output only when a DEQUANTIZE from int8 "
                                   "writes it");
            skipped_.insert(producer->index);
            float_output_tensor_ = output_tensor_;
            output_tensor_ = producer->inputs[0];
        }
    }

    // ---- constants -----------------------------------------------------------------------

    void emit_int8_constants() {
        for (const htvm_import::tensor& t : model_.tensors) {
            if (!t.is_constant() || t.type != tflite::TensorType_INT8) continue;
            std::vector<int> values(t.data_bytes);
            for (std::size_t i = 0; i < t.data_bytes; ++i) values[i] = static_cast<std::int8_t>(t.data[i]);
            constants_ += "// " + t.summary() + "\n";
            constants_ += "alignas(4) inline constexpr std::int8_t tensor_" + std::to_string(t.index) + "[" +
                          std::to_string(values.size()) + "] = {" + number_list(values, 24) + "};\n";
            int8_constant_tensors_.push_back(t.index);
        }
    }

    std::string int32_constant(const htvm_import::tensor& t) {
        const std::string name = "tensor_" + std::to_string(t.index);
        if (emitted_.insert(name).second) {
            std::vector<long long> values(t.data_bytes / 4);
            for (std::size_t i = 0; i < values.size(); ++i) values[i] = read_i32(t.data + 4 * i);
            constants_ += "// " + t.summary() + "\n";
            constants_ += "inline constexpr std::int32_t " + name + "[" + std::to_string(values.size()) + "] = {" +
                          number_list(values, 12) + "};\n";
        }
        return name;
    }

    std::string int32_array(const std::string& name, const std::vector<std::int32_t>& values, const std::string& comment) {
        if (emitted_.insert(name).second) {
            constants_ += "// " + comment + "\n";
            constants_ += "inline constexpr std::int32_t " + name + "[" + std::to_string(values.size()) + "] = {" +
                          number_list(values, 12) + "};\n";
        }
        return name;
    }

    std::string ones(int count) {
        const std::string name = "ones_" + std::to_string(count);
        if (emitted_.insert(name).second) {
            constants_ += "// unit weights of a 1x1 depthwise layer that only rescales\n";
            constants_ += "alignas(4) inline constexpr std::int8_t " + name + "[" + std::to_string(count) + "] = {" +
                          number_list(std::vector<int>(static_cast<std::size_t>(count), 1), 32) + "};\n";
        }
        return name;
    }

    // ---- layers --------------------------------------------------------------------------

    int next_layer() const { return static_cast<int>(layers_.size()); }

    // `.input = N` unless the producer is the previous layer (the builders' default).
    std::string input_field(const char* field, int tensor_index) const {
        const int producer = layer_of_tensor_.at(tensor_index);
        if (producer == next_layer() - 1) return "";
        return std::string(", .") + field + " = " + std::to_string(producer);
    }

    std::string layer_name(const operator_record& op, int out_tensor) const {
        return lower(operator_name(op.code)) + "_t" + std::to_string(out_tensor);
    }

    void add_layer(const std::string& text, int out_tensor, const std::string& operator_text, const std::string& comment) {
        layer_of_tensor_[out_tensor] = next_layer();
        layer_tensor_.push_back(out_tensor);
        layer_operator_.push_back(operator_text);
        layers_.push_back("    // " + comment + "\n    " + text + ",\n");
        summary_ += "//   " + std::to_string(layer_tensor_.size() - 1) + "\t" + operator_text + "\t-> tensor " +
                    std::to_string(out_tensor) + "\n";
    }

    void emit_input_layer() {
        const htvm_import::tensor& in = tensor_at(input_tensor_);
        require_int8(in, "the model input");
        if (in.is_constant()) throw import_error("the model input " + in.describe() + " is a constant");
        quantization(in, "the model input");
        const shape4 s = shape_of(in, "the model input");
        add_layer("htvm::input{.name = \"input_t" + std::to_string(in.index) + "\", .shape = " + s.text() + "}",
                  in.index, "input", in.summary());
    }

    std::string requant_text(const std::string& multipliers, const std::string& shifts, htvm::quantized_multiplier single,
                             std::int32_t input_zp, std::int32_t output_zp, activation_range range) const {
        std::string text = "htvm::tflite_requant{";
        if (!multipliers.empty())
            text += ".multipliers = " + multipliers + ", .shifts = " + shifts;
        else
            text += ".multiplier = " + std::to_string(single.multiplier) + ", .shift = " + std::to_string(single.shift);
        text += ", .input_zero_point = " + std::to_string(input_zp) + ", .output_zero_point = " + std::to_string(output_zp) +
                ", .act_min = " + std::to_string(range.min) + ", .act_max = " + std::to_string(range.max) + "}";
        return text;
    }

    // The clamp of an activation function (fused, or a standalone RELU / RELU6) on `out_q`.
    activation_range clamp_range(const operator_record& op, fused_activation act, const quant& out_q,
                                 const htvm_import::tensor& out) const {
        activation_range range;
        switch (int8_activation_range(act, out_q.scale, out_q.zero_point, range)) {
            case activation_status::ok: return range;
            case activation_status::out_of_range:
                throw import_error(op.describe() + ": the output " + out.describe() + " has scale " +
                                   float_comment(out_q.scale) + ", so the bounds of " + activation_name(act) + " (" +
                                   (act == fused_activation::relu_n1_to_1 ? "-1 and 1" : "0 and 6") +
                                   ") divided by the scale do not fit int32 (TFLite refuses such a model)");
            case activation_status::not_a_clamp: break;
        }
        throw import_error(op.describe() + " has fused activation " + activation_name(act) + " (value " +
                           std::to_string(static_cast<int>(act)) +
                           "); only NONE, RELU, RELU6 and RELU_N1_TO_1 are supported");
    }

    static std::string activation_name(fused_activation act) {
        const int value = static_cast<int>(act);
        if (value >= tflite::ActivationFunctionType_MIN && value <= tflite::ActivationFunctionType_MAX)
            return tflite::EnumNameActivationFunctionType(static_cast<tflite::ActivationFunctionType>(value));
        return "ACTIVATION_" + std::to_string(value);
    }

    activation_range fused_range(const operator_record& op, int fused, const quant& out_q) const {
        return clamp_range(op, static_cast<fused_activation>(fused), out_q, tensor_at(op.outputs.at(0)));
    }

    // TFLite's (multiplier, shift) for a real multiplier, refused when TFLite's arithmetic would not
    // define the result (infinite, or a left shift over 30).
    htvm::quantized_multiplier checked_multiplier(const operator_record& op, double real, const std::string& what) const {
        if (!multiplier_in_range(real)) {
            char text[64];
            std::snprintf(text, sizeof text, "%.9g", real);
            throw import_error(op.describe() + ": the " + what + " rescale factor " + text +
                               " is too large for TFLite's int32 requantization (at most 2^30)");
        }
        return htvm::quantize_multiplier(real);
    }

    static std::string padding_text(int padding) { return padding == tflite::Padding_VALID ? "htvm::valid" : "htvm::same"; }

    void check_padding(const operator_record& op, int padding) const {
        if (padding != tflite::Padding_SAME && padding != tflite::Padding_VALID)
            throw import_error(op.describe() + " has unknown padding " + std::to_string(padding));
    }

    void check_stride(const operator_record& op, int h, int w) const {
        if (h < 1 || w < 1)
            throw import_error(op.describe() + " has stride " + std::to_string(h) + "x" + std::to_string(w) +
                               "; strides must be at least 1");
    }

    // Filter quantization of a conv / depthwise: symmetric, per channel along `axis` or per tensor.
    void check_filter(const operator_record& op, const htvm_import::tensor& filter, int channels, int axis) const {
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
                throw import_error(op.describe() + ": filter " + filter.describe() + " has zero point " +
                                   std::to_string(zp) + "; TFLite int8 weights are symmetric (zero point 0)");
        for (float s : filter.scales)
            if (!(s >= 0) || !std::isfinite(s))
                throw import_error(op.describe() + ": filter " + filter.describe() + " has an invalid scale");
    }

    std::string bias_field(const operator_record& op, std::size_t position, int channels) {
        if (position >= op.inputs.size() || op.inputs[position] < 0) return "";
        const htvm_import::tensor& bias = constant_input(op, position, "bias");
        if (bias.type != tflite::TensorType_INT32)
            throw import_error(op.describe() + ": bias " + bias.describe() + " has type " + type_name(bias.type) +
                               "; int8 layers need INT32 biases");
        if (bias.elements() != channels)
            throw import_error(op.describe() + ": bias " + bias.describe() + " has " + std::to_string(bias.elements()) +
                               " elements for " + std::to_string(channels) + " output channels");
        return ", .bias = " + int32_constant(bias);
    }

    void lower_operator(const operator_record& op) {
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

    void lower_conv(const operator_record& op, bool depthwise) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        const shape4 in_s = shape_of(tensor_at(in_t), op.describe() + " input");
        const shape4 out_s = shape_of(out, op.describe() + " output");
        const htvm_import::tensor& filter = constant_input(op, 1, "filter");
        if (filter.shape.size() != 4)
            throw import_error(op.describe() + ": filter " + filter.describe() + " has rank " +
                               std::to_string(filter.shape.size()) + ", expected 4");

        int padding = 0, stride_h = 0, stride_w = 0, fused = 0, channels = 0, kernel_h = filter.shape[1],
            kernel_w = filter.shape[2];
        if (!depthwise) {
            const tflite::Conv2DOptions* o = raw(op)->builtin_options_as_Conv2DOptions();
            if (o == nullptr) throw import_error(op.describe() + " has no Conv2DOptions");
            if (o->dilation_h_factor() != 1 || o->dilation_w_factor() != 1)
                throw import_error(op.describe() + " uses dilation; not supported");
            if (o->quantized_bias_type() != tflite::TensorType_FLOAT32 && o->quantized_bias_type() != tflite::TensorType_INT32)
                throw import_error(op.describe() + " uses " + type_name(o->quantized_bias_type()) + " biases; not supported");
            padding = o->padding(); stride_h = o->stride_h(); stride_w = o->stride_w();
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
            padding = o->padding(); stride_h = o->stride_h(); stride_w = o->stride_w();
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
        check_padding(op, padding);
        check_stride(op, stride_h, stride_w);
        if (out_s.c != channels)
            throw import_error(op.describe() + ": output " + out.describe() + " has " + std::to_string(out_s.c) +
                               " channels, the filter " + std::to_string(channels));
        const std::string bias = bias_field(op, 2, channels);

        // Requantization: per channel unless the filter has a single scale.
        std::string multipliers, shifts;
        htvm::quantized_multiplier single{};
        if (filter.scales.size() > 1) {
            std::vector<std::int32_t> m(static_cast<std::size_t>(channels)), s(static_cast<std::size_t>(channels));
            for (int c = 0; c < channels; ++c) {
                const htvm::quantized_multiplier q = checked_multiplier(
                    op, conv_channel_real_multiplier(in_q.scale, filter.scales[static_cast<std::size_t>(c)], out_q.scale),
                    "channel " + std::to_string(c));
                m[static_cast<std::size_t>(c)] = q.multiplier;
                s[static_cast<std::size_t>(c)] = q.shift;
            }
            const std::string stem = "t" + std::to_string(out.index);
            multipliers = int32_array("multipliers_" + stem, m, "per-channel Q31 multipliers of the layer writing tensor " + std::to_string(out.index));
            shifts = int32_array("shifts_" + stem, s, "per-channel shifts of the layer writing tensor " + std::to_string(out.index));
        } else {
            single = checked_multiplier(op, conv_channel_real_multiplier(in_q.scale, filter.scales[0], out_q.scale), "output");
        }
        const activation_range range = fused_range(op, fused, out_q);

        std::string text = std::string(depthwise ? "htvm::depthwise_conv2d" : "htvm::conv2d") + "{.name = \"" +
                           layer_name(op, out.index) + "\"" + input_field("input", in_t);
        if (!depthwise) text += ", .filters = " + std::to_string(channels);
        text += ", .kernel = {" + std::to_string(kernel_h) + ", " + std::to_string(kernel_w) + "}, .stride = {" +
                std::to_string(stride_h) + ", " + std::to_string(stride_w) + "}, .padding = " + padding_text(padding) +
                ",\n        .weights = tensor_" + std::to_string(filter.index) + bias + ",\n        .requant = " +
                requant_text(multipliers, shifts, single, in_q.zero_point, out_q.zero_point, range) +
                ",\n        .expect = " + out_s.text() + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
    }

    void lower_fully_connected(const operator_record& op) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        shape_of(tensor_at(in_t), op.describe() + " input");
        const shape4 out_s = shape_of(out, op.describe() + " output");
        const tflite::FullyConnectedOptions* o = raw(op)->builtin_options_as_FullyConnectedOptions();
        const int fused = o != nullptr ? o->fused_activation_function() : 0;
        if (o != nullptr && o->weights_format() != tflite::FullyConnectedOptionsWeightsFormat_DEFAULT)
            throw import_error(op.describe() + " uses shuffled weights; not supported");
        if (o != nullptr && o->quantized_bias_type() != tflite::TensorType_FLOAT32 &&
            o->quantized_bias_type() != tflite::TensorType_INT32)
            throw import_error(op.describe() + " uses " + type_name(o->quantized_bias_type()) + " biases; not supported");

        const htvm_import::tensor& filter = constant_input(op, 1, "filter");
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
                throw import_error(op.describe() + ": filter " + filter.describe() + " has zero point " +
                                   std::to_string(zp) + "; only symmetric weights are supported");
        if (out_s.elements() != units)
            throw import_error(op.describe() + ": output " + out.describe() + " does not have " + std::to_string(units) +
                               " elements");
        const std::string bias = bias_field(op, 2, units);
        const htvm::quantized_multiplier q =
            checked_multiplier(op, fully_connected_real_multiplier(in_q.scale, filter.scales[0], out_q.scale), "output");
        const activation_range range = fused_range(op, fused, out_q);

        const std::string text = "htvm::dense{.name = \"" + layer_name(op, out.index) + "\"" + input_field("input", in_t) +
                                 ", .units = " + std::to_string(units) + ",\n        .weights = tensor_" +
                                 std::to_string(filter.index) + bias + ",\n        .requant = " +
                                 requant_text("", "", q, in_q.zero_point, out_q.zero_point, range) +
                                 ",\n        .expect = " + shape4{1, 1, 1, units}.text() + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
    }

    void lower_add(const operator_record& op) {
        if (op.inputs.size() != 2) throw import_error(op.describe() + " does not have two inputs");
        const int a = activation_input(op, 0), b = activation_input(op, 1);
        const htvm_import::tensor& out = single_output(op);
        const quant qa = quantization(tensor_at(a), op.describe() + " input 0");
        const quant qb = quantization(tensor_at(b), op.describe() + " input 1");
        const quant qo = quantization(out, op.describe() + " output");
        const shape4 sa = shape_of(tensor_at(a), op.describe()), sb = shape_of(tensor_at(b), op.describe()),
                     so = shape_of(out, op.describe());
        if (!(sa == sb) || !(sa == so))
            throw import_error(op.describe() + " adds tensors of shapes " + sa.text() + " and " + sb.text() +
                               " into " + so.text() + "; broadcasting ADD is not supported");
        const tflite::AddOptions* o = raw(op)->builtin_options_as_AddOptions();
        const activation_range range = fused_range(op, o != nullptr ? o->fused_activation_function() : 0, qo);
        const add_multipliers p = add_parameters(qa.scale, qb.scale, qo.scale);
        checked_multiplier(op, p.real_output, "output");
        const int la = layer_of_tensor_.at(a), lb = layer_of_tensor_.at(b);
        const std::string text =
            "htvm::tflite_add{.name = \"" + layer_name(op, out.index) + "\", .lhs = " + std::to_string(la) +
            ", .rhs = " + std::to_string(lb) + ",\n        .params = {.input1_zero_point = " +
            std::to_string(qa.zero_point) + ", .input2_zero_point = " + std::to_string(qb.zero_point) +
            ", .output_zero_point = " + std::to_string(qo.zero_point) + ", .left_shift = " + std::to_string(p.left_shift) +
            ",\n                    .input1_multiplier = " + std::to_string(p.input1.multiplier) +
            ", .input1_shift = " + std::to_string(p.input1.shift) + ", .input2_multiplier = " +
            std::to_string(p.input2.multiplier) + ", .input2_shift = " + std::to_string(p.input2.shift) +
            ",\n                    .output_multiplier = " + std::to_string(p.output.multiplier) +
            ", .output_shift = " + std::to_string(p.output.shift) + ", .act_min = " + std::to_string(range.min) +
            ", .act_max = " + std::to_string(range.max) + "}}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
    }

    void lower_pool(const operator_record& op, bool is_max) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        shape_of(tensor_at(in_t), op.describe() + " input");
        const shape4 out_s = shape_of(out, op.describe() + " output");
        if (!(in_q == out_q))
            throw import_error(op.describe() + ": input and output quantization differ (scale " +
                               float_comment(in_q.scale) + " zp " + std::to_string(in_q.zero_point) + " vs scale " +
                               float_comment(out_q.scale) + " zp " + std::to_string(out_q.zero_point) +
                               "); TFLite requires them equal for int8 pooling");
        const tflite::Pool2DOptions* o = raw(op)->builtin_options_as_Pool2DOptions();
        if (o == nullptr) throw import_error(op.describe() + " has no Pool2DOptions");
        check_padding(op, o->padding());
        check_stride(op, o->stride_h(), o->stride_w());
        if (o->filter_height() < 1 || o->filter_width() < 1)
            throw import_error(op.describe() + " has an empty pooling window");
        const activation_range range = fused_range(op, o->fused_activation_function(), out_q);
        const std::string text =
            std::string(is_max ? "htvm::max_pool" : "htvm::avg_pool") + "{.name = \"" + layer_name(op, out.index) +
            "\"" + input_field("input", in_t) + ", .window = {" + std::to_string(o->filter_height()) + ", " +
            std::to_string(o->filter_width()) + "}, .stride = {" + std::to_string(o->stride_h()) + ", " +
            std::to_string(o->stride_w()) + "}, .padding = " + padding_text(o->padding()) + ", .act_min = " +
            std::to_string(range.min) + ", .act_max = " + std::to_string(range.max) + ", .expect = " + out_s.text() + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
    }

    void lower_reshape(const operator_record& op) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        shape_of(tensor_at(in_t), op.describe() + " input");
        const shape4 out_s = shape_of(out, op.describe() + " output");
        if (tensor_at(in_t).elements() != out.elements())
            throw import_error(op.describe() + " changes the element count (" + std::to_string(tensor_at(in_t).elements()) +
                               " -> " + std::to_string(out.elements()) + ")");
        // A reshape only renames bytes (TFLite copies them unchanged, whatever the quantization).
        const std::string text = "htvm::reshape{.name = \"" + layer_name(op, out.index) + "\"" +
                                 input_field("input", in_t) + ", .to = " + out_s.text() + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
    }

    void lower_softmax(const operator_record& op) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        shape_of(tensor_at(in_t), op.describe() + " input");
        shape_of(out, op.describe() + " output");
        // TFLite's int8 softmax writes scale 1/256, zero point -128 (checked to 0.1% by TFLite too).
        if (out_q.zero_point != -128 || std::fabs(out_q.scale - 1.0f / 256) > 0.001f * (1.0f / 256))
            throw import_error(op.describe() + ": output " + out.describe() + " has scale " + float_comment(out_q.scale) +
                               " zero point " + std::to_string(out_q.zero_point) +
                               "; int8 softmax needs scale 1/256 and zero point -128");
        const tflite::SoftmaxOptions* o = raw(op)->builtin_options_as_SoftmaxOptions();
        const float beta = o != nullptr ? o->beta() : 0.0f;
        if (!std::isfinite(beta)) throw import_error(op.describe() + " has beta " + float_comment(beta) + "; beta must be finite");
        if (!htvm::tflite_softmax_params_supported(static_cast<double>(beta), static_cast<double>(in_q.scale)))
            throw import_error(op.describe() + ": beta " + float_comment(beta) + " times the input scale " +
                               float_comment(in_q.scale) + " is too small for TFLite's int8 softmax");
        const std::string text = "htvm::softmax{.name = \"" + layer_name(op, out.index) + "\"" +
                                 input_field("input", in_t) +
                                 ",\n        .params = htvm::tflite_softmax_params_for(static_cast<double>(" +
                                 float_literal(beta) + "), static_cast<double>(" + float_literal(in_q.scale) +
                                 "))}";
        add_layer(text, out.index, operator_name(op.code),
                  op.describe() + " -> " + out.describe() + ", beta " + float_comment(beta) + ", input scale " +
                      float_comment(in_q.scale));
    }

    void lower_pad(const operator_record& op) {
        if (op.inputs.size() != 2)
            throw import_error(op.describe() + " has " + std::to_string(op.inputs.size()) +
                               " inputs; PAD with constant values (PADV2 form) is not supported");
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        const shape4 in_s = shape_of(tensor_at(in_t), op.describe() + " input");
        const shape4 out_s = shape_of(out, op.describe() + " output");
        if (!(in_q == out_q))
            throw import_error(op.describe() + ": input and output quantization differ; TFLite requires them equal");
        const htvm_import::tensor& paddings = constant_input(op, 1, "paddings");
        const int rank = static_cast<int>(tensor_at(in_t).shape.size());
        if (paddings.shape.size() != 2 || paddings.shape[0] != rank || paddings.shape[1] != 2 ||
            (paddings.type != tflite::TensorType_INT32 && paddings.type != tflite::TensorType_INT64))
            throw import_error(op.describe() + ": paddings " + paddings.describe() +
                               " must be an INT32 or INT64 constant of shape [rank, 2]");
        std::vector<long long> p;
        for (int i = 0; i < 2 * rank; ++i)
            p.push_back(paddings.type == tflite::TensorType_INT32 ? read_i32(paddings.data + 4 * i)
                                                                  : read_i64(paddings.data + 8 * i));
        for (long long v : p)
            if (v < 0 || v > 1 << 20) throw import_error(op.describe() + " has a negative or huge padding");
        if (rank != 4 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0)
            throw import_error(op.describe() + " pads other axes than H and W of a 4-D tensor; not supported");
        (void)in_s;
        // TFLite pads quantized tensors with the output zero point.
        const std::string text = "htvm::pad{.name = \"" + layer_name(op, out.index) + "\"" + input_field("input", in_t) +
                                 ", .top = " + std::to_string(p[2]) + ", .bottom = " + std::to_string(p[3]) +
                                 ", .left = " + std::to_string(p[4]) + ", .right = " + std::to_string(p[5]) +
                                 ", .value = " + std::to_string(out_q.zero_point) + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe() + ", shape " + out_s.text());
    }

    // A pure rescale out = clamp(out_zp + M * (in - in_zp)), as a 1x1 depthwise layer with unit weights.
    void emit_rescale(const operator_record& op, int in_t, const htvm_import::tensor& out, htvm::quantized_multiplier m,
                      const quant& in_q, const quant& out_q, activation_range range) {
        const shape4 out_s = shape_of(out, op.describe() + " output");
        const std::string text = "htvm::depthwise_conv2d{.name = \"" + layer_name(op, out.index) + "\"" +
                                 input_field("input", in_t) +
                                 ", .kernel = {1, 1}, .stride = {1, 1}, .padding = htvm::valid, .weights = " +
                                 ones(out_s.c) + ",\n        .requant = " +
                                 requant_text("", "", m, in_q.zero_point, out_q.zero_point, range) +
                                 ",\n        .expect = " + out_s.text() + "}";
        add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe() + " (a rescale)");
    }

    void lower_relu(const operator_record& op, bool six) {
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        const shape4 in_s = shape_of(tensor_at(in_t), op.describe() + " input");
        if (!(in_s == shape_of(out, op.describe() + " output")))
            throw import_error(op.describe() + " changes the shape");
        const activation_range range = clamp_range(op, six ? fused_activation::relu6 : fused_activation::relu, out_q, out);
        if (in_q == out_q) {
            // Same quantization: TFLite's rescale by 1.0 is the identity, so only the clamp remains.
            const std::string text = "htvm::clip{.name = \"" + layer_name(op, out.index) + "\"" +
                                     input_field("input", in_t) + ", .min = " + std::to_string(range.min) +
                                     ", .max = " + std::to_string(range.max) + "}";
            add_layer(text, out.index, operator_name(op.code), op.describe() + " -> " + out.describe());
        } else {
            emit_rescale(op, in_t, out, checked_multiplier(op, relu_real_multiplier(in_q.scale, out_q.scale), "input to output"),
                         in_q, out_q, range);
        }
    }

    // QUANTIZE int8 -> int8 in the graph: TFLite's Requantize (effective scale in double).
    void lower_requantize(const operator_record& op) {
        if (op.inputs.empty() || op.inputs[0] < 0) throw import_error(op.describe() + " lacks its input");
        const htvm_import::tensor& source = tensor_at(op.inputs[0]);
        if (source.type != tflite::TensorType_INT8)
            throw import_error(op.describe() + " quantizes " + source.describe() + " of type " + type_name(source.type) +
                               "; QUANTIZE from float is supported only on the model input");
        const int in_t = activation_input(op, 0);
        const htvm_import::tensor& out = single_output(op);
        const quant in_q = quantization(tensor_at(in_t), op.describe() + " input");
        const quant out_q = quantization(out, op.describe() + " output");
        const htvm::quantized_multiplier m =
            checked_multiplier(op, static_cast<double>(in_q.scale) / static_cast<double>(out_q.scale), "input to output");
        emit_rescale(op, in_t, out, m, in_q, out_q, activation_range{});
    }

    // ---- output --------------------------------------------------------------------------

    std::string quant_constant(const char* name, const htvm_import::tensor& t) const {
        const quant q = quantization(t, name);
        return "inline constexpr tensor_quantization " + std::string(name) + "{" + float_literal(q.scale) + ", " +
               std::to_string(q.zero_point) + "};  // scale " + float_comment(q.scale) + ", " + t.describe() + "\n";
    }

    std::string assemble() const {
        const std::string& ns = options_.name;
        std::string h;
        h += "// Generated by htvm-import from " + printable(options_.source_name) + ". Do not edit: re-run the import.\n";
        if (!model_.description.empty()) h += "// Model description: " + printable(model_.description) + "\n";
        h += "//\n// htvm layers (index, TFLite operator, TFLite output tensor):\n" + summary_;
        h += "#pragma once\n#include <cstdint>\n\n#include <htvm/htvm.hpp>\n\nnamespace " + ns + " {\n\n";

        h += "// ---- the model's edges --------------------------------------------------------------\n";
        h += "// Real value = scale * (q - zero_point).\n";
        h += "struct tensor_quantization {\n    float scale;\n    std::int32_t zero_point;\n};\n";
        h += quant_constant("input_quantization", tensor_at(input_tensor_));
        h += quant_constant("output_quantization", tensor_at(output_tensor_));
        h += "inline constexpr int input_tensor = " + std::to_string(input_tensor_) + ";   // TFLite tensor index\n";
        h += "inline constexpr int output_tensor = " + std::to_string(output_tensor_) + ";\n";
        h += "// The file's own float input / output, when QUANTIZE / DEQUANTIZE at the edges were left to the caller\n"
             "// (-1: none). Quantize with input_quantization: q = clamp(round(x / scale) + zero_point, -128, 127).\n";
        h += "inline constexpr int float_input_tensor = " + std::to_string(float_input_tensor_) + ";\n";
        h += "inline constexpr int float_output_tensor = " + std::to_string(float_output_tensor_) + ";\n\n";

        h += "// ---- constants (weights in the kernels' layout: conv OHWI, depthwise HWC, dense [out][in]) ----\n";
        h += constants_;

        h += "\n// ---- the network ---------------------------------------------------------------------\n";
        // The explicit size matters: GCC 12 puts a class-template-argument-deduced constexpr
        // object in writable .data, i.e. RAM, instead of .rodata.
        h += "inline constexpr htvm::network<" + std::to_string(layer_tensor_.size()) + "> net{\n";
        for (const std::string& l : layers_) h += l;
        h += "};\n\nusing model = htvm::model<net>;\n\n";

        h += "// ---- tables for comparing with TFLite layer by layer -------------------------------------\n";
        h += "inline constexpr int tensor_count = " + std::to_string(model_.tensors.size()) + ";  // in the TFLite subgraph\n";
        h += "// layer_tensor[i]: the TFLite tensor index of htvm layer i's output.\n";
        h += "inline constexpr int layer_tensor[" + std::to_string(layer_tensor_.size()) + "] = {" +
             number_list(layer_tensor_, 16) + "};\n";
        h += "inline constexpr const char* layer_operator[" + std::to_string(layer_operator_.size()) + "] = {";
        for (std::size_t i = 0; i < layer_operator_.size(); ++i) h += (i % 6 == 0 ? "\n    \"" : " \"") + layer_operator_[i] + "\",";
        h += "\n};\n";
        h += "static_assert(sizeof(layer_tensor) / sizeof(layer_tensor[0]) == net.size(), \"one entry per layer\");\n";
        h += "// Every int8 constant tensor of the file (the weights), by TFLite tensor index.\n";
        h += "struct int8_constant {\n    int tensor;\n    const std::int8_t* data;\n    int size;\n};\n";
        h += "inline constexpr int int8_constant_count = " + std::to_string(int8_constant_tensors_.size()) + ";\n";
        h += "inline constexpr int8_constant int8_constants[" +
             std::to_string(int8_constant_tensors_.empty() ? 1 : int8_constant_tensors_.size()) + "] = {";
        if (int8_constant_tensors_.empty()) h += "\n    {-1, nullptr, 0},";
        for (int t : int8_constant_tensors_)
            h += "\n    {" + std::to_string(t) + ", tensor_" + std::to_string(t) + ", " +
                 std::to_string(tensor_at(t).data_bytes) + "},";
        h += "\n};\n\n}  // namespace " + ns + "\n";
        return h;
    }
};

}  // namespace

std::string generate_header(const tflite_model& model, const header_options& options) {
    if (!is_cpp_identifier(options.name))
        throw import_error("the name '" + display_text(options.name) + "' is not a valid C++ identifier");
    std::string header = lowering(model, options).run();
    check_generated_text(header);
    return header;
}

std::string import_model(std::vector<std::uint8_t> bytes, const header_options& options) {
    return generate_header(parse_tflite_model(std::move(bytes)), options);
}

bool is_cpp_identifier(const std::string& name) {
    if (name.empty() || name.size() > 200) return false;
    if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    if (name.rfind("__", 0) == 0 || (name.size() > 1 && name[0] == '_' && std::isupper(static_cast<unsigned char>(name[1]))))
        return false;  // reserved
    static const char* const keywords[] = {
        "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "concept",
        "const", "consteval", "constexpr", "constinit", "continue", "decltype", "default", "delete", "do", "double",
        "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline",
        "int", "long", "mutable", "namespace", "new", "noexcept", "not", "nullptr", "operator", "or", "private",
        "protected", "public", "register", "requires", "return", "short", "signed", "sizeof", "static", "struct",
        "switch", "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned",
        "using", "virtual", "void", "volatile", "while", "xor", "std", "htvm"};
    for (const char* k : keywords)
        if (name == k) return false;
    return true;
}

}  // namespace htvm_import
