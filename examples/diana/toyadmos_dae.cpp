// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "toyadmos_dae.hpp"
#include "run_example.hpp"

int main() { return diana_examples::run_example<diana_examples::toyadmos_dae::net>(diana_examples::toyadmos_dae::name); }
