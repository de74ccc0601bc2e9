// Table I of the HTVM paper, MODELED: for each of HTVM's four MLPerf Tiny variants (examples/diana)
// in each dispatch configuration, the compile-time dispatch report's cycle totals
// (htvm::diana::report_of, the same constant the programs diana_<network>_<policy> print), and
// the constant bytes that configuration actually reads: per layer the weights in the format of the
// unit it runs on (CPU: OHWI int8 + int32 bias; digital: the arranged int8 weights + int32 bias;
// analog: 2-bit packed ternary weights + int32 k and lambda per channel).
//
// Output (stdout), CSV:
//   network,config,macs,peak,full,layout,cpu,total,digital_layers,analog_layers,cpu_layers,weight_bytes_needed
#include <cstdio>

#include "ds_cnn.hpp"
#include "mobilenet.hpp"
#include "resnet8.hpp"
#include "toyadmos_dae.hpp"

namespace {

namespace dn = htvm::diana;

template <std::size_t N>
long long weight_bytes_needed(const htvm::network<N>& net, const dn::dispatch_report<N>& r) {
    long long bytes = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const htvm::layer& l = net.layers[i];
        const dn::unit where = r.layer[i].where.target;
        bytes += htvm::visit(l, [&](const auto& op) -> long long {
            if constexpr (htvm::mac_operation<std::remove_cvref_t<decltype(op)>>) {
                if (where == dn::unit::digital && dn::has_arranged_digital_weights(l))
                    return op.arranged_weights.size + 4LL * op.bias.size;
                if (where != dn::unit::analog) return op.weights.size + 4LL * op.bias.size;
                if constexpr (requires { op.analog; }) return op.analog.weights.bytes + 8LL * op.filters;
            }
            return 0;
        });
    }
    return bytes;
}

template <const auto& net, class Policy>
void row(const char* name) {
    constexpr auto& r = dn::report_of<net, Policy>;
    std::printf("%s,%s,%lld,%lld,%lld,%lld,%lld,%lld,%d,%d,%d,%lld\n", name, Policy::name, r.total.macs, r.total.peak,
                r.total.full, r.total.layout, r.total.cpu, r.total.total(), r.on_digital, r.on_analog, r.on_cpu,
                weight_bytes_needed(net, r));
}

template <const auto& net>
void rows(const char* name) {
    row<net, dn::policy::cpu_only>(name);
    row<net, dn::policy::digital>(name);
    row<net, dn::policy::analog>(name);
    row<net, dn::policy::mixed>(name);
}

}  // namespace

int main() {
    std::printf("network,config,macs,peak,full,layout,cpu,total,digital_layers,analog_layers,cpu_layers,"
                "weight_bytes_needed\n");
    rows<diana_examples::ds_cnn::net>(diana_examples::ds_cnn::name);
    rows<diana_examples::mobilenet::net>(diana_examples::mobilenet::name);
    rows<diana_examples::resnet8::net>(diana_examples::resnet8::name);
    rows<diana_examples::toyadmos_dae::net>(diana_examples::toyadmos_dae::name);
    return 0;
}
