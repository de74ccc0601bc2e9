// Writes the header of test_ir::hand_network() to the path given, for test_importer_printer.cpp:
//     print_hand_network OUTPUT.hpp
#include <cstdio>
#include <fstream>
#include <string>

#include "cpp_printer.hpp"
#include "hand_network.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: print_hand_network OUTPUT.hpp\n");
        return 2;
    }
    const std::string header = htvm_import::print_header(test_ir::hand_network(), {"hand", "hand_network.hpp"});
    std::ofstream out(argv[1], std::ios::binary);
    out << header;
    return out.good() ? 0 : 1;
}
