// One translation unit of the scaling benchmark (bench/scale/run.sh): a generated network of
// SCALE_LAYERS layers (tests/scale/generate_network.cmake) compiled for the CPU target or a DIANA
// policy, with run() instantiated as firmware would.
#include SCALE_HEADER

#if SCALE_DIANA
#include <htvm/diana.hpp>
using model = htvm::model<SCALE_NS::net, htvm::diana::target<htvm::diana::policy::digital>>;
#else
using model = htvm::model<SCALE_NS::net>;
#endif

int main() {
    static std::int8_t in[model::input_bytes], out[model::output_bytes];
    model::run(in, out);
    return out[0];
}
