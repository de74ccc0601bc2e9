// Compile-time tiling: everything in <htvm/tiling/>.
#pragma once
#include "budget.hpp"
#include "checked.hpp"
#include "diagnostics.hpp"
#include "executor.hpp"
#include "halo.hpp"
#include "limits.hpp"
#include "plan.hpp"
#include "problem.hpp"
#include "schedule.hpp"
#include "tiler.hpp"
