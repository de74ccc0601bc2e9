// The importer's C++ printer on a network written directly as IR (printer/hand_network.hpp),
// with no TFLite model involved: its header, printed at build time, compiles and computes what the IR
// says; the header shows the source format's own words; builders the TFLite front end never emits
// come out as the library spells them; and the printer's last check keeps a comment from becoming code.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "cpp_printer.hpp"
#include "hand_model.hpp"  // printed from hand_network() by print_hand_network
#include "printer/hand_network.hpp"

TEST_CASE("a network written as IR prints as a header that runs") {
    static_assert(hand::model::input_bytes == 4 * 4 * 2 && hand::model::output_bytes == 3);
    std::int8_t in[hand::model::input_bytes] = {}, out[hand::model::output_bytes] = {};
    hand::model::run(in, out);
    // conv: zero weights, so each pixel is its bias {3, -4}; the average pool keeps it; dense:
    // {3, -4} . {(1, 0), (0, 1), (1, 1)} + {5, -7, 100} = {8, -11, 99}; clip to [0, 127].
    CHECK(out[0] == 8);
    CHECK(out[1] == 0);
    CHECK(out[2] == 99);
    CHECK(hand::layer_tensor[4] == 8);
    CHECK(std::string(hand::layer_operator[2]) == "GlobalAveragePool");
}

TEST_CASE("the header speaks of the source format, and prints pads and the global average pool") {
    const std::string h = htvm_import::print_header(test_ir::hand_network(), {"hand", "hand_network.hpp"});
    CHECK(h.find("// htvm layers (index, ONNX operator, ONNX output tensor):\n//   0\tinput\t-> tensor 0\n") !=
          std::string::npos);
    CHECK(h.find("TFLite") == std::string::npos);
    CHECK(h.find(".kernel = {3, 3}, .stride = {1, 1}, .padding = htvm::pads(1, 1, 1, 1),\n"
                 "        .weights = tensor_1, .bias = tensor_2,\n") != std::string::npos);
    CHECK(h.find("htvm::global_avg_pool{.name = \"pool\", .act_min = -128, .act_max = 127, .expect = {1, 1, 1, 2}}") !=
          std::string::npos);
    CHECK(h.find("htvm::reshape{.name = \"flat\", .to = {1, 1, 1, 2}}") != std::string::npos);
}

TEST_CASE("a comment that would start a line of code stops the printer") {
    htvm_import::ir::network n = test_ir::hand_network();
    n.ops[1].origin.comment = "node 0\n#error injected";
    CHECK_THROWS_AS(htvm_import::print_header(n, {"hand", "hand_network.hpp"}), std::logic_error);
}
