// Writes the importer's IR as a C++ header: the constexpr htvm network built with the library's
// builders, the constants as arrays, the model's edges and quantization, and tables that map each
// layer back to the source model (for layer-by-layer comparison with it).
#pragma once
#include <string>

#include "ir.hpp"

namespace htvm_import {

struct header_options {
    std::string name;         // C++ namespace of everything generated; a valid identifier
    std::string source_name;  // shown in comments (usually the model's file name)
};

// The whole header text. `network` keeps the guarantees ir.hpp lists. Throws std::logic_error when
// the text would hold anything but what the printer writes itself (see check_generated_text): a bug
// of the importer, not a problem of the model.
std::string print_header(const ir::network& network, const header_options& options);

// True when `name` is a usable C++ identifier (and not a keyword we would collide with).
bool is_cpp_identifier(const std::string& name);

}  // namespace htvm_import
