// Lowers a TFLite model to an htvm network and writes it as a C++ header: the constexpr graph,
// the weights as const arrays in the kernels' layout, TFLite's integer parameters, and tables that
// map htvm layers back to TFLite tensor indices (for layer-by-layer comparison with TFLite).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tflite_model.hpp"

namespace htvm_import {

struct header_options {
    std::string name;         // C++ namespace of everything generated; a valid identifier
    std::string source_name;  // shown in comments (usually the model's file name)
};

// The whole header text. Throws import_error naming the operator or tensor that cannot be lowered.
std::string generate_header(const tflite_model& model, const header_options& options);

// The importer's whole work on a model file's bytes in memory: parse and verify, check every limit,
// lower, and return the header text. Writes no file. Throws import_error (never anything else for a
// bad model) with a message naming the problem. The fuzzer calls this.
std::string import_model(std::vector<std::uint8_t> bytes, const header_options& options);

// True when `name` is a usable C++ identifier (and not a keyword we would collide with).
bool is_cpp_identifier(const std::string& name);

}  // namespace htvm_import
