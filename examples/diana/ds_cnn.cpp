// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "ds_cnn.hpp"
#include "run_example.hpp"

int main() {
    using namespace diana_examples::ds_cnn;
    return diana_examples::run_example<net, forms>(name);
}
