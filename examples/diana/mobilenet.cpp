// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "mobilenet.hpp"
#include "run_example.hpp"

int main() {
    using namespace diana_examples::mobilenet;
    return diana_examples::run_example<net, forms>(name);
}
