// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "resnet8.hpp"
#include "run_example.hpp"

int main() {
    using namespace diana_examples::resnet8;
    return diana_examples::run_example<net, forms>(name);
}
