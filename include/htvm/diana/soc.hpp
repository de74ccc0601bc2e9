// The boundary between the DIANA target and the chip. A board support package for real DIANA silicon
// implements these static functions with the SoC's DMA and accelerator registers; `simulated_soc`
// implements them on the host and under QEMU with plain memories and the bit-exact simulators, so
// the same firmware runs in both places.
//
//     struct my_soc {
//         static std::int8_t* l1();                                          // CPU view of L1
//         static void dma_to_l1(int l1_offset, const void* source, int bytes);
//         static void dma_from_l1(void* destination, int l1_offset, int bytes);
//         static void dma_to_digital_weights(int offset, const void* source, int bytes);
//         static std::int8_t* digital_weights();                             // CPU view of it
//         static void digital_conv(const digital::conv_job&);
//         static void digital_dense(const digital::dense_job&);
//         static void digital_add(const digital::add_job&);
//         static void analog_load(const layout::analog_weights&, const std::uint8_t* packed,
//                                 const std::int32_t* k, const std::int32_t* l, int first_column);
//         static void analog_conv(const analog::conv_job&);
//     };
// Calls are synchronous: each returns when the transfer or the computation is complete.
#pragma once
#include <cstdint>

#include "memory_map.hpp"
#include "simulator_analog.hpp"
#include "simulator_digital.hpp"

namespace htvm::diana {

struct simulated_soc {
    // Zero-initialized static storage (.bss): no constructor runs.
    alignas(16) static inline std::int8_t l1_memory[l1_bytes];
    alignas(16) static inline std::int8_t digital_weight_memory[digital_weight_bytes];
    alignas(16) static inline std::uint8_t analog_cells[analog_weight_bytes];
    static inline std::int32_t analog_k[analog_columns];
    static inline std::int32_t analog_l[analog_columns];

    static std::int8_t* l1() { return l1_memory; }
    static std::int8_t* digital_weights() { return digital_weight_memory; }
    static analog::array_state analog_array() { return {analog_cells, analog_k, analog_l}; }

    static void dma_to_l1(int l1_offset, const void* source, int bytes) { copy(l1_memory + l1_offset, source, bytes); }
    static void dma_from_l1(void* destination, int l1_offset, int bytes) { copy(destination, l1_memory + l1_offset, bytes); }
    static void dma_to_digital_weights(int offset, const void* source, int bytes) {
        copy(digital_weight_memory + offset, source, bytes);
    }

    static void digital_conv(const digital::conv_job& job) { digital::run_conv(job, l1_memory, digital_weight_memory); }
    static void digital_dense(const digital::dense_job& job) { digital::run_dense(job, l1_memory, digital_weight_memory); }
    static void digital_add(const digital::add_job& job) { digital::run_add(job, l1_memory); }

    static void analog_load(const layout::analog_weights& w, const std::uint8_t* packed, const std::int32_t* k,
                            const std::int32_t* l, int first_column) {
        analog::load(analog_array(), w, packed, k, l, first_column);
    }
    static void analog_conv(const analog::conv_job& job) { analog::run_conv(job, l1_memory, analog_array()); }

private:
    // A byte loop rather than memcpy: what a DMA does, and no library call on bare metal.
    static void copy(void* destination, const void* source, int bytes) {
        auto* d = static_cast<unsigned char*>(destination);
        const auto* s = static_cast<const unsigned char*>(source);
        for (int b = 0; b < bytes; ++b) d[b] = s[b];
    }
};

}  // namespace htvm::diana
