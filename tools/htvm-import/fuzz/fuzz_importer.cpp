// libFuzzer target for htvm-import: the whole import (flatbuffer verification, the model checks and
// limits, the lowering, the header text) on bytes in memory, as htvm_import::import_model does it
// for the tool. A refused model (import_error) is the expected outcome of most inputs; anything else
// is a bug libFuzzer catches: a sanitizer error, another exception (std::logic_error from the
// header check, std::bad_alloc, std::out_of_range...), a timeout or an allocation over its limit.
//
// On success the header must still be one that cannot carry anything from the file into code:
// checked here independently of the importer's own check.
//
// HTVM_FUZZ_EXPECT=refused or =imported (for replaying regression inputs) additionally aborts when
// an input is not refused, or not imported.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "header_generator.hpp"
#include "tflite_model.hpp"

namespace {

enum class expectation { none, refused, imported };
expectation expected = expectation::none;

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "htvm_import_fuzzer: %s%s\n", what, detail.c_str());
    std::abort();
}

// Every line is a comment, a preprocessor line the importer writes, or code made of identifiers,
// numbers and punctuation; no control characters but newlines and tabs; no line continuation.
void check_header(const std::string& header) {
    std::size_t start = 0;
    while (start < header.size()) {
        std::size_t end = header.find('\n', start);
        if (end == std::string::npos) end = header.size();
        const std::string line = header.substr(start, end - start);
        for (char c : line)
            if ((static_cast<unsigned char>(c) < 32 && c != '\t') || static_cast<unsigned char>(c) >= 127)
                fail("control or non-ASCII byte in the header: ", line);
        if (!line.empty() && line.back() == '\\') fail("line continuation in the header: ", line);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first != std::string::npos && line[first] == '#' && line != "#pragma once" &&
            line != "#include <cstdint>" && line != "#include <htvm/htvm.hpp>")
            fail("unexpected preprocessor line in the header: ", line);
        start = end + 1;
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* e = std::getenv("HTVM_FUZZ_EXPECT")) {
        if (std::strcmp(e, "refused") == 0) expected = expectation::refused;
        else if (std::strcmp(e, "imported") == 0) expected = expectation::imported;
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> bytes(data, data + size);
    try {
        const std::string header = htvm_import::import_model(std::move(bytes), {"fuzzed", "fuzzed.tflite"});
        check_header(header);
        if (expected == expectation::refused) fail("the input was imported, expected a refusal", "");
    } catch (const htvm_import::import_error& e) {
        if (std::strlen(e.what()) == 0) fail("a refusal without a message", "");
        if (expected == expectation::imported) fail("the input was refused, expected an import: ", e.what());
        if (expected == expectation::refused) std::fprintf(stderr, "refused: %s\n", e.what());
    }
    return 0;
}
