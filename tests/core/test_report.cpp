// The compile report and the memory-plan picture (htvm/report.hpp) describe the model's real plan.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include <htvm/report.hpp>

namespace {

const std::int8_t w[8 * 4] = {};
inline constexpr htvm::network net{
    htvm::input{.name = "x", .shape = {1, 4, 4, 4}},
    htvm::conv2d{.name = "expand", .filters = 8, .weights = w, .requant = htvm::shift_requant{}},
    htvm::max_pool{.name = "pool"},
    htvm::flatten{.name = "flat"},
};
using model = htvm::model<net>;

std::string capture(void (*write)(std::FILE*)) {
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    write(f);
    std::rewind(f);
    std::string text;
    for (int c = std::fgetc(f); c != EOF; c = std::fgetc(f)) text.push_back(static_cast<char>(c));
    std::fclose(f);
    return text;
}

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the report lists every layer with its MACs and the arena totals") {
    const std::string text = capture([](std::FILE* f) { htvm::print_memory_report<model, net>(f); });
    // conv 1x1: 16 pixels x 8 filters x 4 channels = 512 MACs; pool and flatten none.
    CHECK(text.find("expand") != std::string::npos);
    CHECK(text.find("512") != std::string::npos);
    CHECK(text.find("total: 512 MACs, 32 B of weights") != std::string::npos);
    CHECK(text.find("arena " + std::to_string(model::arena_bytes) + " B") != std::string::npos);
    CHECK(count(text, "\n") == 1 + 4 + 1);  // header, 4 layers, totals
    CHECK(text.find("(shares its input's memory)") != std::string::npos);  // flatten
}

TEST_CASE("the memory plan picture has one rectangle per buffer") {
    const std::string svg = capture([](std::FILE* f) { htvm::write_memory_plan_svg<model, net>(f, "tiny"); });
    CHECK(svg.rfind("<svg", 0) == 0);
    CHECK(svg.find("</svg>") != std::string::npos);
    // Buffers: input, expand, pool (flatten aliases pool); plus the white background rect.
    CHECK(model::plan.buffers == 3);
    CHECK(count(svg, "<rect") == 1 + model::plan.buffers);
    CHECK(svg.find("expand: 128 B at offset " + std::to_string(model::plan.offset[1])) != std::string::npos);
}
