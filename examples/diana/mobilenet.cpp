// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "mobilenet.hpp"
#include "run_example.hpp"

int main() { return diana_examples::run_example<diana_examples::mobilenet::net>(diana_examples::mobilenet::name); }
