#include "header_generator.hpp"

#include "tflite_frontend.hpp"

namespace htvm_import {

std::string generate_header(const tflite_model& model, const header_options& options) {
    // The name first: a bad --name is refused whatever the model.
    if (!is_cpp_identifier(options.name))
        throw import_error("the name '" + display_text(options.name) + "' is not a valid C++ identifier");
    return print_header(tflite_to_ir(model), options);
}

std::string import_model(std::vector<std::uint8_t> bytes, const header_options& options) {
    return generate_header(parse_tflite_model(std::move(bytes)), options);
}

}  // namespace htvm_import
