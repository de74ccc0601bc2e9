// Table I of the HTVM paper, MODELED: for each of HTVM's four MLPerf Tiny variants (examples/diana)
// in each dispatch configuration, the compile-time dispatch table's cycle totals
// (htvm::diana::dispatch_table_of, the same constant the programs diana_<network>_<policy> print), and
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
long long weight_bytes_needed(const htvm::network<N>& net, const dn::dispatch_table<N>& r, dn::forms_view forms) {
    long long bytes = 0;
    for (std::size_t i = 0; i < N; ++i) {
        const htvm::layer& l = net.layers[i];
        const dn::placement where = r.layer[i].where;
        bytes += htvm::visit(l, [&](const auto& op) -> long long {
            if constexpr (htvm::mac_operation<std::remove_cvref_t<decltype(op)>>) {
                if (where.target == dn::unit::digital && where.arranged_weights)
                    return forms.of(l).digital_weights.size + 4LL * op.bias.size;
                if (where.target != dn::unit::analog) return op.weights.size + 4LL * op.bias.size;
                return forms.of(l).analog.weights.bytes + 8LL * op.channels();
            }
            return 0;
        });
    }
    return bytes;
}

template <const auto& net, const auto& forms, class Policy>
void row(const char* name) {
    constexpr auto& r = dn::dispatch_table_of<net, Policy, forms>;
    std::printf("%s,%s,%lld,%lld,%lld,%lld,%lld,%lld,%d,%d,%d,%lld\n", name, Policy::name, r.total.macs, r.total.peak,
                r.total.full, r.total.layout, r.total.cpu, r.total.total(), r.on_digital, r.on_analog, r.on_cpu,
                weight_bytes_needed(net, r, dn::view_of(forms)));
}

template <const auto& net, const auto& forms>
void rows(const char* name) {
    row<net, forms, dn::policy::cpu_only>(name);
    row<net, forms, dn::policy::digital>(name);
    row<net, forms, dn::policy::analog>(name);
    row<net, forms, dn::policy::mixed>(name);
}

}  // namespace

int main() {
    std::printf("network,config,macs,peak,full,layout,cpu,total,digital_layers,analog_layers,cpu_layers,"
                "weight_bytes_needed\n");
    rows<diana_examples::ds_cnn::net, diana_examples::ds_cnn::forms>(diana_examples::ds_cnn::name);
    rows<diana_examples::mobilenet::net, diana_examples::mobilenet::forms>(diana_examples::mobilenet::name);
    rows<diana_examples::resnet8::net, diana_examples::resnet8::forms>(diana_examples::resnet8::name);
    rows<diana_examples::toyadmos_dae::net, diana_examples::toyadmos_dae::forms>(diana_examples::toyadmos_dae::name);
    return 0;
}
