// Layer-by-layer debugging: compares two tensor dumps in the golden format
// ("tensor <TFLite index> <count>: v v v ...", e.g. a TFLite Micro reference dump and the output of
// `mlperf_tiny_<model> --dump-tensors`), and prints every tensor of the reference that is missing
// or differs, in TFLite tensor order, with the first differing element.
//
//     mlperf_compare_tensors reference.txt ours.txt
//
// Exit status 0 when every reference tensor is present and equal, 1 otherwise, 2 on bad input.
// Host tool (uses the standard library freely).
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

bool load(const char* path, std::map<int, std::vector<int>>& tensors) {
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "mlperf_compare_tensors: cannot open '%s'\n", path);
        return false;
    }
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.empty()) continue;
        std::istringstream fields(line);
        std::string word, count_text;
        int index = -1;
        fields >> word >> index >> count_text;
        if (word != "tensor" || index < 0 || count_text.empty() || count_text.back() != ':') {
            std::fprintf(stderr, "mlperf_compare_tensors: %s:%d: expected 'tensor <index> <count>: values'\n", path,
                         line_number);
            return false;
        }
        const long count = std::stol(count_text.substr(0, count_text.size() - 1));
        std::vector<int> values;
        int v = 0;
        while (fields >> v) values.push_back(v);
        if (static_cast<long>(values.size()) != count) {
            std::fprintf(stderr, "mlperf_compare_tensors: %s:%d: tensor %d announces %ld values but has %zu\n", path,
                         line_number, index, count, values.size());
            return false;
        }
        tensors[index] = std::move(values);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: mlperf_compare_tensors REFERENCE.txt OURS.txt\n");
        return 2;
    }
    std::map<int, std::vector<int>> reference, ours;
    if (!load(argv[1], reference) || !load(argv[2], ours)) return 2;
    int equal = 0, bad = 0;
    for (const auto& [index, expected] : reference) {
        const auto found = ours.find(index);
        if (found == ours.end()) {
            std::printf("tensor %d: missing\n", index);
            ++bad;
            continue;
        }
        const std::vector<int>& got = found->second;
        if (got.size() != expected.size()) {
            std::printf("tensor %d: %zu elements, expected %zu\n", index, got.size(), expected.size());
            ++bad;
            continue;
        }
        std::size_t first = got.size(), differing = 0;
        int max_error = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            if (got[i] != expected[i]) {
                if (first == got.size()) first = i;
                ++differing;
                const int error = got[i] > expected[i] ? got[i] - expected[i] : expected[i] - got[i];
                max_error = error > max_error ? error : max_error;
            }
        if (differing == 0) {
            ++equal;
        } else {
            std::printf("tensor %d: %zu of %zu elements differ (largest difference %d); first at element %zu: got %d, "
                        "expected %d\n",
                        index, differing, got.size(), max_error, first, got[first], expected[first]);
            ++bad;
        }
    }
    std::printf("%d of %zu reference tensors bit-exact%s\n", equal, reference.size(),
                bad == 0 ? "" : " (the first differing tensor above is where to look)");
    return bad == 0 ? 0 : 1;
}
