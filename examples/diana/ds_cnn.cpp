// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "ds_cnn.hpp"
#include "run_example.hpp"

int main() { return diana_examples::run_example<diana_examples::ds_cnn::net>(diana_examples::ds_cnn::name); }
