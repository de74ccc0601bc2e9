// A TFLite model file read into plain C++ values, after the flatbuffer has been verified and every
// index in it checked. Nothing past this point touches raw bytes except constant tensor data,
// which is kept as a pointer into the file image the model owns.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace htvm_import {

// Every problem in the input is reported by throwing this; the message names the operator or
// tensor concerned and is printed as is.
struct import_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// TFLite's TensorType values we distinguish.
enum class tensor_type : int { float32 = 0, int32 = 2, int8 = 9, other = -1 };

struct tensor {
    int index = 0;
    std::string name;
    std::vector<int> shape;
    int type = 0;                          // TFLite TensorType value
    std::vector<float> scales;             // empty: not quantized
    std::vector<std::int64_t> zero_points;
    int quantized_dimension = 0;
    const std::uint8_t* data = nullptr;    // constant tensors only
    std::size_t data_bytes = 0;

    bool is_constant() const { return data != nullptr; }
    long long elements() const;
    std::string describe() const;          // "tensor 17 'conv2d/Conv2D'" for messages
    std::string summary() const;           // describe() plus type and shape, for comments
};

struct operator_record {
    int index = 0;               // position in the subgraph's operator list
    int code = 0;                // BuiltinOperator value
    int version = 1;
    std::string custom_code;     // set for CUSTOM operators
    std::vector<int> inputs;     // tensor indices, -1 for an omitted optional input
    std::vector<int> outputs;
    const void* options = nullptr;  // the tflite::Operator, for reading builtin options
    std::string describe() const;   // "operator 3 (CONV_2D)"
};

struct tflite_model {
    std::vector<std::uint8_t> file;  // the whole file; tensor data points into it
    std::string description;
    std::vector<tensor> tensors;
    std::vector<operator_record> operators;
    std::vector<int> inputs, outputs;
};

// The TFLite name of a BuiltinOperator value ("CONV_2D"), or "BUILTIN_OPERATOR_<n>".
std::string operator_name(int code);
// The TFLite name of a TensorType value ("INT8").
std::string type_name(int type);

// Reads and checks `path`. Throws import_error for an unreadable, truncated or malformed file, a
// wrong schema version, several subgraphs, or any out-of-range index.
tflite_model read_tflite_model(const std::string& path);

// Same, from bytes already in memory (tests).
tflite_model parse_tflite_model(std::vector<std::uint8_t> bytes);

}  // namespace htvm_import
