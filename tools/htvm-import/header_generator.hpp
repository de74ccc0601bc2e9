// The importer's whole pipeline for a TFLite model: the TFLite front end (tflite_frontend.hpp) lowers
// it to the IR (ir.hpp), and the printer (cpp_printer.hpp) writes the IR as a C++ header with the
// htvm network, the weights as const arrays in the kernels' layout, TFLite's integer parameters, and
// tables that map htvm layers back to TFLite tensor indices (for layer-by-layer comparison).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cpp_printer.hpp"
#include "tflite_model.hpp"

namespace htvm_import {

// The whole header text. Throws import_error naming the operator or tensor that cannot be lowered.
std::string generate_header(const tflite_model& model, const header_options& options);

// The importer's whole work on a model file's bytes in memory: parse and verify, check every limit,
// lower, and return the header text. Writes no file. Throws import_error (never anything else for a
// bad model) with a message naming the problem. The fuzzer calls this.
std::string import_model(std::vector<std::uint8_t> bytes, const header_options& options);

}  // namespace htvm_import
