// One example program, built once per dispatch policy (see CMakeLists.txt).
#include "resnet8.hpp"
#include "run_example.hpp"

int main() { return diana_examples::run_example<diana_examples::resnet8::net>(diana_examples::resnet8::name); }
