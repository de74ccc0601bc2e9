// One translation unit of test_diana_code_per_layer (check_code_per_layer.cmake): a generated network
// (tests/scale/generate_network.cmake) on DIANA's digital policy, with run() instantiated as firmware
// would. The test compiles it for two network lengths and compares the objects.
#include HTVM_CODE_SIZE_HEADER

#include <htvm/diana.hpp>

using model = htvm::model<HTVM_CODE_SIZE_NS::net, htvm::diana::target<htvm::diana::policy::digital>>;

int main() {
    static std::int8_t in[model::input_bytes], out[model::output_bytes];
    model::run(in, out);
    return out[0];
}
