// The TFLite front end: checks that a parsed TFLite model is one htvm runs (int8, one input and one
// output, the supported operators and options) and lowers it to the importer's IR, with TFLite's
// integer parameters computed in TFLite's order and precision (tflite_arithmetic.hpp).
#pragma once
#include "ir.hpp"
#include "tflite_model.hpp"

namespace htvm_import {

// Throws import_error naming the operator or tensor that cannot be lowered.
ir::network tflite_to_ir(const tflite_model& model);

}  // namespace htvm_import
