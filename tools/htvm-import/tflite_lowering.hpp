// The TFLite front end's inside, shared by its two source files: tflite_frontend.cpp checks tensors
// and walks the graph, tflite_operators.cpp lowers one operator at a time. Not used elsewhere.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ir.hpp"
#include "tflite_arithmetic.hpp"
#include "tflite_model.hpp"

namespace tflite {
struct Operator;
}

namespace htvm_import {

// Constant data in a TFLite buffer: little-endian, at any alignment.
inline std::int32_t read_i32(const std::uint8_t* p) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                     static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::int64_t read_i64(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
    return static_cast<std::int64_t>(v);
}

class tflite_lowering {
public:
    explicit tflite_lowering(const tflite_model& model) : model_(model) {}
    ir::network run();

private:
    const tflite_model& model_;
    ir::network net_;

    int input_tensor_ = -1, output_tensor_ = -1;  // the int8 tensors the htvm model starts and ends with
    int float_input_tensor_ = -1, float_output_tensor_ = -1;
    std::set<int> skipped_;                // QUANTIZE / DEQUANTIZE operators at the edges
    std::map<int, int> layer_of_tensor_;   // activation tensor -> the operator of net_ that writes it
    std::map<int, int> int8_constant_of_;  // constant tensor -> its index in net_.int8_constants
    std::map<int, int> int32_constant_of_; // ... in net_.int32_constants

    // ---- tensors (tflite_frontend.cpp) ----
    const tensor& tensor_at(int index) const { return model_.tensors.at(static_cast<std::size_t>(index)); }
    ir::quantization quantization(const tensor& t, const std::string& who) const;
    htvm::shape shape_of(const tensor& t, const std::string& who) const;
    void require_int8(const tensor& t, const std::string& who) const;
    int activation_input(const operator_record& op, std::size_t position) const;
    const tensor& constant_input(const operator_record& op, std::size_t position, const char* role) const;
    const tensor& single_output(const operator_record& op) const;
    // The input and output of a one-input operator, checked in this order: an int8 activation that an
    // earlier operator wrote, a new int8 tensor, each quantized per tensor.
    struct operands {
        int in;
        const tensor& out;
        ir::quantization in_q, out_q;
    };
    operands quantized_operands(const operator_record& op) const;
    // The shapes of `in` and `out`, checked in this order: NHWC of at most 4-D, batch 1, no empty axis.
    std::pair<htvm::shape, htvm::shape> shapes(const operator_record& op, int in, const tensor& out) const;
    const tflite::Operator* raw(const operator_record& op) const;
    int int32_constant(const tensor& t);

    // ---- the graph (tflite_frontend.cpp) ----
    void check_operand_counts(const operator_record& op) const;
    std::vector<const operator_record*> consumers(int tensor_index) const;
    void find_edges();
    void add_int8_constants();
    void add_input();
    void add(const operator_record& op, const tensor& out, std::vector<int> input_tensors, htvm::shape output,
             ir::parameters params, std::string comment);
    ir::edge edge(const char* name, int tensor_index, int float_tensor) const;

    // ---- operators (tflite_operators.cpp) ----
    void lower_operator(const operator_record& op);
    activation_range clamp_range(const operator_record& op, fused_activation act, const ir::quantization& out_q,
                                 const tensor& out) const;
    activation_range fused_range(const operator_record& op, int fused, const ir::quantization& out_q) const;
    htvm::quantized_multiplier checked_multiplier(const operator_record& op, double real, const std::string& what) const;
    htvm::padding padding(const operator_record& op, int code) const;
    void check_stride(const operator_record& op, int h, int w) const;
    void check_filter(const operator_record& op, const tensor& filter, int channels, int axis) const;
    int bias(const operator_record& op, std::size_t position, int channels);
    ir::requant conv_requant(const operator_record& op, const tensor& filter, int channels, const ir::quantization& in_q,
                             const ir::quantization& out_q) const;
    void lower_conv(const operator_record& op, bool depthwise);
    void lower_fully_connected(const operator_record& op);
    void lower_add(const operator_record& op);
    void lower_pool(const operator_record& op, bool is_max);
    void lower_reshape(const operator_record& op);
    void lower_softmax(const operator_record& op);
    void lower_pad(const operator_record& op);
    void add_rescale(const operator_record& op, int in_t, const tensor& out, htvm::quantized_multiplier m,
                     const ir::quantization& in_q, const ir::quantization& out_q, activation_range range);
    void lower_relu(const operator_record& op, bool six);
    void lower_requantize(const operator_record& op);
};

}  // namespace htvm_import
