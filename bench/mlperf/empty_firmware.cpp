// Start-up code, semihosting exit and the C library pieces every firmware links, with no model:
// bench/run.sh subtracts nothing with it, it only shows how much of a model's flash overhead is the
// start-up code's and C library's rather than htvm's.
int main() { return 0; }
