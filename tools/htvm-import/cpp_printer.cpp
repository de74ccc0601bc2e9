#include "cpp_printer.hpp"

#include <cctype>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "diagnostics.hpp"

namespace htvm_import {

namespace {

std::string float_literal(float v) {
    char text[64];
    std::snprintf(text, sizeof text, "%af", static_cast<double>(v));  // hexadecimal: exact
    return text;
}

// Strings from the model file (and the file's name) go into // comments only, escaped: one line,
// printable, no backslash (see display_text).
std::string printable(const std::string& text) { return display_text(text, 110); }

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

std::string hw_text(htvm::hw v) { return "{" + std::to_string(v.h) + ", " + std::to_string(v.w) + "}"; }

std::string padding_text(const htvm::padding& p) {
    switch (p.mode) {
        case htvm::padding_mode::valid: return "htvm::valid";
        case htvm::padding_mode::same: return "htvm::same";
        case htvm::padding_mode::explicit_pads: break;
    }
    return "htvm::pads(" + std::to_string(p.top) + ", " + std::to_string(p.bottom) + ", " + std::to_string(p.left) +
           ", " + std::to_string(p.right) + ")";
}

std::string clamp_text(std::int32_t min, std::int32_t max) {
    return ".act_min = " + std::to_string(min) + ", .act_max = " + std::to_string(max);
}

// The generated text, checked once more as a whole: printable ASCII, tabs and newlines only, no line
// continuation, and the only preprocessor lines the printer writes. A string from the file that got
// through unescaped would fail here instead of reaching a compiler: a bug of the importer, not a
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

class printer {
public:
    printer(const ir::network& net, const header_options& options) : net_(net), options_(options) {}

    std::string run() {
        for (const ir::constant<std::int8_t>& c : net_.int8_constants)
            constants_ += "// " + c.comment + "\n" + "alignas(4) inline constexpr std::int8_t tensor_" +
                          std::to_string(c.tensor) + "[" + std::to_string(c.values.size()) + "] = {" +
                          number_list(c.values, 24) + "};\n";
        for (index_ = 0; index_ < net_.ops.size(); ++index_) {
            const ir::op& op = net_.ops[index_];
            const std::string text = std::visit([&](const auto& params) { return layer(op, params); }, op.params);
            layers_ += "    // " + op.origin.comment + "\n    " + text + ",\n";
        }
        return assemble();
    }

private:
    const ir::network& net_;
    const header_options& options_;
    std::size_t index_ = 0;  // of the operator being printed
    std::string constants_;  // the arrays, each where the first layer that reads it is printed
    std::set<std::string> emitted_;
    std::string layers_;

    // ---- arrays ----------------------------------------------------------------------------

    std::string int32_array(const std::string& name, const std::vector<std::int32_t>& values, const std::string& comment) {
        if (emitted_.insert(name).second)
            constants_ += "// " + comment + "\n" + "inline constexpr std::int32_t " + name + "[" +
                          std::to_string(values.size()) + "] = {" + number_list(values, 12) + "};\n";
        return name;
    }

    std::string ones(int count) {
        const std::string name = "ones_" + std::to_string(count);
        if (emitted_.insert(name).second)
            constants_ += "// unit weights of a 1x1 depthwise layer that only rescales\n" +
                          ("alignas(4) inline constexpr std::int8_t " + name + "[" + std::to_string(count) + "] = {") +
                          number_list(std::vector<int>(static_cast<std::size_t>(count), 1), 32) + "};\n";
        return name;
    }

    // `.weights = ...` and, when there is one, `.bias = ...`. Called before requant_text, as the
    // header has always listed a layer's bias before its per-channel arrays.
    std::string weights_and_bias(int weights, int bias) {
        const ir::constant<std::int8_t>& w = net_.int8_constants.at(static_cast<std::size_t>(weights));
        const std::string text = ".weights = tensor_" + std::to_string(w.tensor);
        if (bias == ir::no_constant) return text;
        const ir::constant<std::int32_t>& b = net_.int32_constants.at(static_cast<std::size_t>(bias));
        return text + ", .bias = " + int32_array("tensor_" + std::to_string(b.tensor), b.values, b.comment);
    }

    std::string requant_text(const ir::requant& rq, int tensor) {
        std::string text = "htvm::tflite_requant{";
        if (!rq.multipliers.empty()) {
            // Two statements: the arrays go into constants_ in this order.
            const std::string t = std::to_string(tensor);
            text += ".multipliers = " + int32_array("multipliers_t" + t, rq.multipliers,
                                                    "per-channel Q31 multipliers of the layer writing tensor " + t);
            text += ", .shifts = " +
                    int32_array("shifts_t" + t, rq.shifts, "per-channel shifts of the layer writing tensor " + t);
        } else {
            text += ".multiplier = " + std::to_string(rq.multiplier) + ", .shift = " + std::to_string(rq.shift);
        }
        return text + ", .input_zero_point = " + std::to_string(rq.input_zero_point) + ", .output_zero_point = " +
               std::to_string(rq.output_zero_point) + ", " + clamp_text(rq.act_min, rq.act_max) + "}";
    }

    // ---- layers ----------------------------------------------------------------------------

    // `htvm::<builder>{.name = "..."` and `.input = N` unless it reads the previous layer (the
    // builders' default).
    std::string head(const char* builder, const ir::op& op) const {
        std::string text = std::string("htvm::") + builder + "{.name = \"" + op.name + "\"";
        if (!op.inputs.empty() && static_cast<std::size_t>(op.inputs[0]) + 1 != index_)
            text += ", .input = " + std::to_string(op.inputs[0]);
        return text;
    }

    // The closing `.expect = {n, h, w, c}}`: the library checks its inferred shape against it.
    static std::string expect(const ir::op& op) { return ", .expect = " + ir::text(op.output) + "}"; }

    std::string layer(const ir::op& op, const ir::input&) {
        return "htvm::input{.name = \"" + op.name + "\", .shape = " + ir::text(op.output) + "}";
    }
    std::string layer(const ir::op& op, const ir::conv2d& p) {
        return head("conv2d", op) + ", .filters = " + std::to_string(p.filters) + conv_tail(op, p);
    }
    std::string layer(const ir::op& op, const ir::depthwise_conv2d& p) {
        return head("depthwise_conv2d", op) + conv_tail(op, p);
    }
    template <class Conv>
    std::string conv_tail(const ir::op& op, const Conv& p) {
        const std::string weights = weights_and_bias(p.weights, p.bias);
        return ", .kernel = " + hw_text(p.kernel) + ", .stride = " + hw_text(p.stride) + ", .padding = " +
               padding_text(p.padding) + ",\n        " + weights + ",\n        .requant = " +
               requant_text(p.requant, op.origin.tensor) + ",\n        .expect = " + ir::text(op.output) + "}";
    }
    std::string layer(const ir::op& op, const ir::dense& p) {
        const std::string weights = weights_and_bias(p.weights, p.bias);
        return head("dense", op) + ", .units = " + std::to_string(p.units) + ",\n        " + weights +
               ",\n        .requant = " + requant_text(p.requant, op.origin.tensor) +
               ",\n        .expect = " + ir::text(op.output) + "}";
    }
    std::string layer(const ir::op& op, const ir::add& p) {
        const htvm::tflite_add_params& a = p.params;
        return "htvm::tflite_add{.name = \"" + op.name + "\", .lhs = " + std::to_string(op.inputs.at(0)) +
               ", .rhs = " + std::to_string(op.inputs.at(1)) +
               ",\n        .params = {.input1_zero_point = " + std::to_string(a.input1_zero_point) +
               ", .input2_zero_point = " + std::to_string(a.input2_zero_point) +
               ", .output_zero_point = " + std::to_string(a.output_zero_point) +
               ", .left_shift = " + std::to_string(a.left_shift) +
               ",\n                    .input1_multiplier = " + std::to_string(a.input1_multiplier) +
               ", .input1_shift = " + std::to_string(a.input1_shift) +
               ", .input2_multiplier = " + std::to_string(a.input2_multiplier) +
               ", .input2_shift = " + std::to_string(a.input2_shift) +
               ",\n                    .output_multiplier = " + std::to_string(a.output_multiplier) +
               ", .output_shift = " + std::to_string(a.output_shift) + ", " + clamp_text(a.act_min, a.act_max) + "}}";
    }
    std::string layer(const ir::op& op, const ir::avg_pool& p) { return head("avg_pool", op) + pool_tail(op, p); }
    std::string layer(const ir::op& op, const ir::max_pool& p) { return head("max_pool", op) + pool_tail(op, p); }
    static std::string pool_tail(const ir::op& op, const ir::pool& p) {
        return ", .window = " + hw_text(p.window) + ", .stride = " + hw_text(p.stride) + ", .padding = " +
               padding_text(p.padding) + ", " + clamp_text(p.act_min, p.act_max) + expect(op);
    }
    std::string layer(const ir::op& op, const ir::global_avg_pool& p) {
        return head("global_avg_pool", op) + ", " + clamp_text(p.act_min, p.act_max) + expect(op);
    }
    std::string layer(const ir::op& op, const ir::reshape&) {
        return head("reshape", op) + ", .to = " + ir::text(op.output) + "}";
    }
    std::string layer(const ir::op& op, const ir::softmax& p) {
        return head("softmax", op) + ",\n        .params = htvm::tflite_softmax_params_for(static_cast<double>(" +
               float_literal(p.beta) + "), static_cast<double>(" + float_literal(p.input_scale) + "))}";
    }
    std::string layer(const ir::op& op, const ir::clip& p) {
        return head("clip", op) + ", .min = " + std::to_string(p.min) + ", .max = " + std::to_string(p.max) + "}";
    }
    std::string layer(const ir::op& op, const ir::pad& p) {
        return head("pad", op) + ", .top = " + std::to_string(p.top) + ", .bottom = " + std::to_string(p.bottom) +
               ", .left = " + std::to_string(p.left) + ", .right = " + std::to_string(p.right) +
               ", .value = " + std::to_string(p.value) + "}";
    }
    // A 1x1 depthwise conv with unit weights: its requantization is the whole computation.
    std::string layer(const ir::op& op, const ir::rescale& p) {
        const std::string weights = ones(op.output.c);
        return head("depthwise_conv2d", op) + ", .kernel = {1, 1}, .stride = {1, 1}, .padding = htvm::valid, .weights = " +
               weights + ",\n        .requant = " + requant_text(p.requant, op.origin.tensor) +
               ",\n        .expect = " + ir::text(op.output) + "}";
    }

    // ---- the header ------------------------------------------------------------------------

    std::string edge_quantization(const char* name, const ir::edge& e) const {
        return "inline constexpr tensor_quantization " + std::string(name) + "{" + float_literal(e.quantization.scale) +
               ", " + std::to_string(e.quantization.zero_point) + "};  // scale " +
               display_number(e.quantization.scale) + ", " + e.comment + "\n";
    }

    std::string assemble() const {
        const std::string& ns = options_.name;
        const std::string& format = net_.format;
        const std::size_t layers = net_.ops.size();
        std::string h;
        h += "// Generated by htvm-import from " + printable(options_.source_name) + ". Do not edit: re-run the import.\n";
        if (!net_.description.empty()) h += "// Model description: " + printable(net_.description) + "\n";
        h += "//\n// htvm layers (index, " + format + " operator, " + format + " output tensor):\n";
        for (std::size_t i = 0; i < layers; ++i)
            h += "//   " + std::to_string(i) + "\t" + net_.ops[i].origin.op + "\t-> tensor " +
                 std::to_string(net_.ops[i].origin.tensor) + "\n";
        h += "#pragma once\n#include <cstdint>\n\n#include <htvm/htvm.hpp>\n\nnamespace " + ns + " {\n\n";

        h += "// ---- the model's edges --------------------------------------------------------------\n";
        h += "// Real value = scale * (q - zero_point).\n";
        h += "struct tensor_quantization {\n    float scale;\n    std::int32_t zero_point;\n};\n";
        h += edge_quantization("input_quantization", net_.input);
        h += edge_quantization("output_quantization", net_.output);
        h += "inline constexpr int input_tensor = " + std::to_string(net_.input.tensor) + ";   // " + format +
             " tensor index\n";
        h += "inline constexpr int output_tensor = " + std::to_string(net_.output.tensor) + ";\n";
        h += "// The file's own float input / output, when QUANTIZE / DEQUANTIZE at the edges were left to the caller\n"
             "// (-1: none). Quantize with input_quantization: q = clamp(round(x / scale) + zero_point, -128, 127).\n";
        h += "inline constexpr int float_input_tensor = " + std::to_string(net_.input.float_tensor) + ";\n";
        h += "inline constexpr int float_output_tensor = " + std::to_string(net_.output.float_tensor) + ";\n\n";

        h += "// ---- constants (weights in the kernels' layout: conv OHWI, depthwise HWC, dense [out][in]) ----\n";
        h += constants_;

        h += "\n// ---- the network ---------------------------------------------------------------------\n";
        // The explicit size matters: GCC 12 puts a class-template-argument-deduced constexpr
        // object in writable .data, i.e. RAM, instead of .rodata.
        h += "inline constexpr htvm::network<" + std::to_string(layers) + "> net{\n" + layers_;
        h += "};\n\nusing model = htvm::model<net>;\n\n";

        h += "// ---- tables for comparing with " + format + " layer by layer -------------------------------------\n";
        h += "inline constexpr int tensor_count = " + std::to_string(net_.tensor_count) + ";  // in the " + format +
             " subgraph\n";
        h += "// layer_tensor[i]: the " + format + " tensor index of htvm layer i's output.\n";
        std::vector<int> layer_tensor;
        for (const ir::op& op : net_.ops) layer_tensor.push_back(op.origin.tensor);
        h += "inline constexpr int layer_tensor[" + std::to_string(layers) + "] = {" + number_list(layer_tensor, 16) +
             "};\n";
        h += "inline constexpr const char* layer_operator[" + std::to_string(layers) + "] = {";
        for (std::size_t i = 0; i < layers; ++i) h += (i % 6 == 0 ? "\n    \"" : " \"") + net_.ops[i].origin.op + "\",";
        h += "\n};\n";
        h += "static_assert(sizeof(layer_tensor) / sizeof(layer_tensor[0]) == net.size(), \"one entry per layer\");\n";
        h += "// Every int8 constant tensor of the file (the weights), by " + format + " tensor index.\n";
        h += "struct int8_constant {\n    int tensor;\n    const std::int8_t* data;\n    int size;\n};\n";
        const std::size_t constants = net_.int8_constants.size();
        h += "inline constexpr int int8_constant_count = " + std::to_string(constants) + ";\n";
        h += "inline constexpr int8_constant int8_constants[" + std::to_string(constants == 0 ? 1 : constants) + "] = {";
        if (constants == 0) h += "\n    {-1, nullptr, 0},";
        for (const ir::constant<std::int8_t>& c : net_.int8_constants)
            h += "\n    {" + std::to_string(c.tensor) + ", tensor_" + std::to_string(c.tensor) + ", " +
                 std::to_string(c.values.size()) + "},";
        h += "\n};\n\n}  // namespace " + ns + "\n";
        return h;
    }
};

}  // namespace

std::string print_header(const ir::network& network, const header_options& options) {
    std::string header = printer(network, options).run();
    check_generated_text(header);
    return header;
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
