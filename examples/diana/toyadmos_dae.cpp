// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "toyadmos_dae.hpp"
#include "run_example.hpp"

int main() {
    using namespace diana_examples::toyadmos_dae;
    return diana_examples::run_example<net, forms>(name);
}
