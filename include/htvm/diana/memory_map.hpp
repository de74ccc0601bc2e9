// The DIANA SoC's fixed numbers: memories, array sizes, arithmetic ranges, clock. Every other DIANA
// header takes its constants from here; docs/diana.md gives the source of each one.
#pragma once
#include <cstdint>

namespace htvm::diana {

// ---- memories (bytes) -------------------------------------------------------------------------
inline constexpr int l2_bytes = 512000;              // RISC-V main memory: code, weights, activation arena
inline constexpr int l1_bytes = 256000;              // activation memory shared by both accelerators
inline constexpr int digital_weight_bytes = 64000;   // the digital accelerator's weight memory

// ---- digital accelerator: 16 x 16 int8 PE array, output channels (K) x output columns (OX) ----
inline constexpr int pe_rows = 16;     // output channels in parallel
inline constexpr int pe_columns = 16;  // output columns (OX) in parallel
inline constexpr int digital_peak_macs_per_cycle = pe_rows * pe_columns;  // 256

// ---- analog accelerator: 1152 x 512 ternary in-memory-compute array --------------------------
inline constexpr int analog_rows = 1152;     // C * FY * FX of one convolution
inline constexpr int analog_columns = 512;   // output channels
inline constexpr int analog_weight_bytes = analog_rows * analog_columns * 2 / 8;  // 2 bits a cell: 147,456
inline constexpr int analog_row_block = 64;      // rows are fed (and counted) in blocks of 64
inline constexpr int analog_column_group = 32;   // columns are read out in groups of 32
// The DAC takes 7-bit signed-magnitude inputs: int8 activations outside [-63, 63] saturate.
inline constexpr std::int32_t analog_input_min = -63;
inline constexpr std::int32_t analog_input_max = 63;
// The 6-bit ADC: the column sum is clipped to [-32, 31] before the digital post-processing.
inline constexpr std::int32_t adc_min = -32;
inline constexpr std::int32_t adc_max = 31;

// ---- clock ------------------------------------------------------------------------------------
inline constexpr long clock_hz = 260000000;

static_assert(analog_weight_bytes == 147456, "htvm::diana: the analog array holds 1152 x 512 two-bit cells");

}  // namespace htvm::diana
