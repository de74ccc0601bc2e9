// htvm-import: a TFLite int8 model in, a C++ header with the htvm network out.
//
//     htvm-import model.tflite -o model.hpp [--name my_model]
//
// Exit status 0 on success; 1 when the model cannot be imported (the message names the operator or
// tensor); 2 for a usage error. The header is written to a temporary file and renamed into place,
// so a failed import never leaves a partial header behind (and removes a stale one).
#include <cstdio>
#include <exception>
#include <string>

#include "header_generator.hpp"
#include "tflite_model.hpp"

namespace {

const char* usage =
    "usage: htvm-import MODEL.tflite -o HEADER.hpp [--name IDENTIFIER]\n"
    "  Reads an int8 TFLite model and writes a C++20 header declaring the htvm network `IDENTIFIER::net`,\n"
    "  `IDENTIFIER::model` and the weights. IDENTIFIER defaults to the model's file name.\n";

std::string base_name(const std::string& path) {
    const std::size_t slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string default_name(const std::string& model_path) {
    std::string stem = base_name(model_path);
    const std::size_t dot = stem.find('.');
    if (dot != std::string::npos) stem = stem.substr(0, dot);
    std::string name;
    for (char c : stem) name += ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
    if (name.empty() || (name[0] >= '0' && name[0] <= '9') || name[0] == '_') name = "model_" + name;
    return name;
}

bool write_file(const std::string& path, const std::string& text) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return false;
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model_path, output_path, name;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::fputs(usage, stdout);
            return 0;
        } else if ((arg == "-o" || arg == "--output") && i + 1 < argc) {
            output_path = argv[++i];
        } else if (arg == "--name" && i + 1 < argc) {
            name = argv[++i];
        } else if (!arg.empty() && arg[0] != '-' && model_path.empty()) {
            model_path = arg;
        } else {
            std::fprintf(stderr, "htvm-import: unexpected argument '%s'\n%s", arg.c_str(), usage);
            return 2;
        }
    }
    if (model_path.empty() || output_path.empty()) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (name.empty()) name = default_name(model_path);

    const std::string temporary = output_path + ".partial";
    try {
        const htvm_import::tflite_model model = htvm_import::read_tflite_model(model_path);
        const std::string header = htvm_import::generate_header(model, {name, base_name(model_path)});
        if (!write_file(temporary, header) || std::rename(temporary.c_str(), output_path.c_str()) != 0) {
            std::remove(temporary.c_str());
            std::fprintf(stderr, "htvm-import: error: cannot write '%s'\n", output_path.c_str());
            return 1;
        }
    } catch (const std::exception& e) {
        std::remove(temporary.c_str());
        std::remove(output_path.c_str());  // never leave a header that does not match the model
        std::fprintf(stderr, "htvm-import: error: %s: %s\n", model_path.c_str(), e.what());
        return 1;
    }
    return 0;
}
