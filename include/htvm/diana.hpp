// htvm for the DIANA SoC: a RISC-V host, a digital accelerator (16 x 16 int8 PE array) and an analog
// in-memory-compute accelerator (1152 x 512 ternary array) sharing a 256,000 B L1.
//
//     #include <htvm/diana.hpp>
//     using model = htvm::model<net, htvm::diana::target<htvm::diana::policy::mixed>>;
//
// Everything DIANA-specific lives in htvm/diana/; the core (htvm/htvm.hpp) knows nothing of it.
//   memory_map.hpp         sizes, ranges and clock
//   layouts.hpp            activation and weight layouts of both accelerators
//   forms.hpp              a layer's DIANA-only constants: analog form, pre-arranged digital weights
//   rules.hpp              what each accelerator can run (HTVM's DIANA pattern rules)
//   policy.hpp             cpu_only / digital / analog / mixed, per-layer `.target` overrides
//   simulator_digital.hpp  bit-exact digital accelerator
//   simulator_analog.hpp   bit-exact (noise-free) analog accelerator
//   soc.hpp                the board-support interface; simulated_soc implements it
//   cycle_model.hpp        peak / full-kernel cycles per layer (docs/diana.md)
//   target.hpp             the Target plugged into htvm::model
//   dispatch_table.hpp     the dispatch table (per layer unit, reason, modeled cycles; printable)
//   objectives.hpp         DORY's tiling objectives for both arrays
//   tiling.hpp             DIANA's memories for the tiler (htvm/tiling/): per-layer tile plans
//   budget.hpp             the L2 budget as deployed (asserted by the target's check())
//   diagnostics.hpp        DIANA's compile errors (invalid overrides, wrong forms)
//   compile_report.hpp     the compile report (not included here: a host tool's, tools/htvm-report)
#pragma once
#include "htvm.hpp"

#include "diana/cycle_model.hpp"
#include "diana/diagnostics.hpp"
#include "diana/forms.hpp"
#include "diana/dispatch_table.hpp"
#include "diana/layouts.hpp"
#include "diana/memory_map.hpp"
#include "diana/policy.hpp"
#include "diana/rules.hpp"
#include "diana/simulator_analog.hpp"
#include "diana/simulator_digital.hpp"
#include "diana/soc.hpp"
#include "diana/target.hpp"
#include "diana/tiling.hpp"
#include "diana/budget.hpp"
