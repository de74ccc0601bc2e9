// htvm-import on bad input: malformed, truncated, wrong-version and unsupported models (written
// here with the flatbuffers builder) each give their own message and never crash; the tool exits
// non-zero and leaves no header behind. Also TFLite's quantization arithmetic on hand-computed
// cases and on the facts the MLPerf Tiny reference documents.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "bad_models/hostile_models.hpp"
#include "bad_models/tflite_builder.hpp"
#include "header_generator.hpp"
#include "tflite_arithmetic.hpp"
#include "tflite_model.hpp"

namespace {

using namespace test_models;
using A = tflite::ActivationFunctionType;

// The import's error message, or "" when it succeeds. Any other exception fails the test.
std::string import_message(const std::vector<std::uint8_t>& bytes, const std::string& name = "m") {
    try {
        htvm_import::import_model(bytes, {name, "test.tflite"});
    } catch (const htvm_import::import_error& e) {
        return e.what();
    }
    return "";
}

std::string header_of(const model_desc& m) { return htvm_import::import_model(build(m), {"m", "test.tflite"}); }

bool has_line_starting(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0 || text.find("\n" + prefix) != std::string::npos;
}

std::string import_message(const model_desc& m) { return import_message(build(m)); }

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

const std::string work = HTVM_IMPORTER_TEST_DIR;
const std::string data = HTVM_MLPERF_DATA_DIR;

// Runs the real htvm-import; returns its exit status and collects stderr.
int run_importer(const std::string& args, std::string& errors) {
    const std::string err_file = work + "/stderr.txt";
    const std::string command = std::string("\"") + HTVM_IMPORT_PATH + "\" " + args + " 2> \"" + err_file + "\"";
    const int status = std::system(command.c_str());
    const std::vector<std::uint8_t> text = read_file(err_file);
    errors.assign(text.begin(), text.end());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + status;  // 1000+: killed by a signal
}

}  // namespace

TEST_CASE("the little conv model imports") {
    CHECK(import_message(small_conv_model()) == "");
    const std::string header =
        htvm_import::generate_header(htvm_import::parse_tflite_model(build(small_conv_model())), {"little", "x.tflite"});
    CHECK(header.find("namespace little {") != std::string::npos);
    CHECK(header.find("htvm::conv2d{.name = \"conv_2d_t3\"") != std::string::npos);
    CHECK(header.find(".act_min = -128") != std::string::npos);  // RELU at zero point -128
}

TEST_CASE("files that are not TFLite flatbuffers") {
    CHECK(import_message(std::vector<std::uint8_t>{}).find("too short") != std::string::npos);
    CHECK(import_message(std::vector<std::uint8_t>{1, 2, 3}).find("too short") != std::string::npos);
    std::vector<std::uint8_t> text(100, 'x');
    CHECK(import_message(text).find("file identifier is 'xxxx', expected 'TFL3'") != std::string::npos);
    // Right identifier, garbage offsets.
    std::vector<std::uint8_t> garbage = {0xff, 0xff, 0xff, 0x7f, 'T', 'F', 'L', '3', 0, 0, 0, 0};
    CHECK(import_message(garbage).find("malformed or truncated") != std::string::npos);
}

TEST_CASE("truncated models are rejected with a message, at every length") {
    const std::vector<std::uint8_t> full = read_file(data + "/kws_ref_model.tflite");
    REQUIRE(full.size() > 50000);
    CHECK(import_message(full) == "");
    int rejected = 0;
    for (std::size_t length = 0; length < full.size(); length += 997) {
        const std::vector<std::uint8_t> part(full.begin(), full.begin() + static_cast<long>(length));
        const std::string message = import_message(part);
        CHECK(!message.empty());
        rejected += !message.empty();
    }
    CHECK(rejected > 50);
    const std::vector<std::uint8_t> half(full.begin(), full.begin() + static_cast<long>(full.size() / 2));
    CHECK(import_message(half).find("malformed or truncated") != std::string::npos);
}

TEST_CASE("corrupted bytes never crash the importer") {
    // Every outcome is either a clean import or an import_error (import_message fails the test on
    // anything else); a crash would end the test program.
    const std::vector<std::uint8_t> full = read_file(data + "/pretrainedResnet_quant.tflite");
    std::uint32_t x = 2024;
    int errors = 0;
    for (int trial = 0; trial < 300; ++trial) {
        std::vector<std::uint8_t> bytes = full;
        const int flips = 1 + trial % 4;
        for (int f = 0; f < flips; ++f) {
            x = x * 1664525u + 1013904223u;
            // Mostly the metadata at the end of the file (offsets, shapes, indices), sometimes anywhere.
            const std::size_t span = trial % 3 == 0 ? bytes.size() : 4096;
            const std::size_t at = bytes.size() - 1 - (x >> 8) % span;
            x = x * 1664525u + 1013904223u;
            bytes[at] = static_cast<std::uint8_t>(x >> 24);
        }
        errors += !import_message(bytes).empty();
    }
    MESSAGE(errors << " of 300 corrupted files were rejected");
    CHECK(errors > 0);
}

TEST_CASE("wrong schema version, several subgraphs, several inputs") {
    model_desc m = small_conv_model();
    m.version = 2;
    CHECK(import_message(m).find("schema version 2 is not supported (expected 3)") != std::string::npos);
    m = small_conv_model();
    m.subgraph_copies = 2;
    CHECK(import_message(m).find("the model has 2 subgraphs; htvm-import supports exactly one") != std::string::npos);
    m = small_conv_model();
    m.inputs = {0, 3};
    CHECK(import_message(m).find("the model has 2 input tensors") != std::string::npos);
    m = small_conv_model();
    m.outputs = {};
    CHECK(import_message(m).find("the model has 0 output tensors") != std::string::npos);
}

TEST_CASE("unsupported operators are named") {
    model_desc m = small_conv_model();
    m.ops[0].code = tflite::BuiltinOperator_MUL;
    CHECK(import_message(m).find("operator 0 (MUL) is not supported by htvm-import") != std::string::npos);
    m.ops[0].code = tflite::BuiltinOperator_CUSTOM;
    m.ops[0].custom_code = "MyFancyOp";
    CHECK(import_message(m).find("operator 0 (CUSTOM 'MyFancyOp') is not supported") != std::string::npos);
    m.ops[0].custom_code.clear();
    m.ops[0].code = 150;  // GELU: beyond the legacy byte, read from the extended field
    CHECK(import_message(m).find("operator 0 (GELU) is not supported") != std::string::npos);
    m.ops[0].code = 400;  // unknown to our schema
    CHECK(import_message(m).find("operator 0 (BUILTIN_OPERATOR_400) is not supported") != std::string::npos);
}

TEST_CASE("unsupported types and quantization are named") {
    model_desc m = small_conv_model();
    m.tensors[0].type = tflite::TensorType_FLOAT32;
    CHECK(import_message(m).find("the model input tensor 0 'in' is FLOAT32") != std::string::npos);
    m = small_conv_model();
    m.tensors[3].type = tflite::TensorType_INT16;
    CHECK(import_message(m).find("tensor 3 'out' has type INT16; htvm runs int8 tensors only") != std::string::npos);
    m = small_conv_model();
    m.tensors[3].scales.clear();
    m.tensors[3].zero_points.clear();
    CHECK(import_message(m).find("tensor 3 'out' is not quantized") != std::string::npos);
    m = small_conv_model();
    m.tensors[1].zero_points = {0, 4, 0};
    CHECK(import_message(m).find("filter tensor 1 'filter' has zero point 4") != std::string::npos);
    m = small_conv_model();
    m.tensors[2].type = tflite::TensorType_INT64;
    m.tensors[2].data.resize(24);
    CHECK(import_message(m).find("has type INT64; int8 layers need INT32 biases") != std::string::npos);
    m = small_conv_model();
    m.tensors[1].data.pop_back();  // shape says 54 bytes
    CHECK(import_message(m).find("tensor 1 'filter' has 53 bytes of data, but its shape and type need 54") !=
          std::string::npos);
}

TEST_CASE("unsupported operator options are named") {
    model_desc m = small_conv_model();
    m.ops[0].options = conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU, 2);
    CHECK(import_message(m).find("operator 0 (CONV_2D) uses dilation") != std::string::npos);
    m.ops[0].options = conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_TANH);
    CHECK(import_message(m).find("fused activation TANH") != std::string::npos);
    m.ops[0].options = {};
    CHECK(import_message(m).find("operator 0 (CONV_2D) has no Conv2DOptions") != std::string::npos);
    m.ops[0].options = conv_options(tflite::Padding_SAME, 0, A::ActivationFunctionType_NONE);
    CHECK(import_message(m).find("has stride 0x0") != std::string::npos);

    // Depthwise with a channel multiplier of 2.
    model_desc d;
    d.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, 0, "in"));
    tensor_desc filter;
    filter.shape = {1, 3, 3, 4};
    filter.scales = {0.1f};
    filter.zero_points = {0};
    filter.data = std::vector<std::uint8_t>(36, 1);
    d.tensors.push_back(filter);
    d.tensors.push_back(activation({1, 4, 4, 4}, 0.5f, 0, "out"));
    d.ops.push_back({tflite::BuiltinOperator_DEPTHWISE_CONV_2D, {0, 1, -1}, {2},
                     depthwise_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_NONE, 2), ""});
    d.inputs = {0};
    d.outputs = {2};
    CHECK(import_message(d).find("has depth multiplier 2 (2 input, 4 output channels)") != std::string::npos);

    // Fully connected with per-channel weights.
    model_desc f;
    f.tensors.push_back(activation({1, 8}, 0.5f, 0, "in"));
    tensor_desc w;
    w.shape = {2, 8};
    w.scales = {0.1f, 0.2f};
    w.zero_points = {0, 0};
    w.data = std::vector<std::uint8_t>(16, 1);
    f.tensors.push_back(w);
    f.tensors.push_back(activation({1, 2}, 0.5f, 0, "out"));
    f.ops.push_back({tflite::BuiltinOperator_FULLY_CONNECTED, {0, 1, -1}, {2},
                     fully_connected_options(A::ActivationFunctionType_NONE), ""});
    f.inputs = {0};
    f.outputs = {2};
    CHECK(import_message(f).find("is quantized per channel; only per-tensor fully connected") != std::string::npos);

    // ADD with broadcasting.
    model_desc a;
    a.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, 0, "x"));
    a.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, 0, "pooled"));
    a.tensors.push_back(activation({1, 1, 1, 2}, 0.5f, 0, "g"));
    a.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, 0, "sum"));
    a.ops.push_back({tflite::BuiltinOperator_MAX_POOL_2D, {0}, {1}, pool_options(tflite::Padding_SAME, 1, 1), ""});
    a.ops.push_back({tflite::BuiltinOperator_AVERAGE_POOL_2D, {0}, {2}, pool_options(tflite::Padding_VALID, 4, 4), ""});
    a.ops.push_back({tflite::BuiltinOperator_ADD, {1, 2}, {3}, add_options(A::ActivationFunctionType_NONE), ""});
    a.inputs = {0};
    a.outputs = {3};
    CHECK(import_message(a).find("operator 2 (ADD) adds tensors of shapes {1, 4, 4, 2} and {1, 1, 1, 2}") !=
          std::string::npos);

    // Softmax whose output is not TFLite's fixed 1/256, -128.
    model_desc s;
    s.tensors.push_back(activation({1, 10}, 0.1f, 0, "logits"));
    s.tensors.push_back(activation({1, 10}, 0.1f, 0, "probabilities"));
    s.ops.push_back({tflite::BuiltinOperator_SOFTMAX, {0}, {1}, softmax_options(1.0f), ""});
    s.inputs = {0};
    s.outputs = {1};
    CHECK(import_message(s).find("int8 softmax needs scale 1/256 and zero point -128") != std::string::npos);
}

TEST_CASE("broken graph structure is named") {
    model_desc m = small_conv_model();
    m.ops[0].inputs = {0, 9, 2};
    CHECK(import_message(m).find("operator 0 (CONV_2D) input refers to tensor 9, but the subgraph has 4 tensors") !=
          std::string::npos);
    m = small_conv_model();
    m.ops[0].inputs = {3, 1, 2};  // reads its own output
    CHECK(import_message(m).find("reads tensor 3 'out', which no earlier operator produces") != std::string::npos);
    m = small_conv_model();
    m.outputs = {0};
    CHECK(import_message(m).find("is not produced by the last operator") != std::string::npos);
    m = small_conv_model();
    m.ops.clear();
    CHECK(import_message(m).find("the model has no operators") != std::string::npos);
    CHECK(import_message(build(small_conv_model()), "2bad").find("not a valid C++ identifier") != std::string::npos);
    CHECK(import_message(build(small_conv_model()), "namespace").find("not a valid C++ identifier") != std::string::npos);
}

TEST_CASE("the htvm-import tool: exit status, messages, and no partial header") {
    std::string errors;
    const std::string header = work + "/out_model.hpp";

    write_file(work + "/good.tflite", build(small_conv_model()));
    CHECK(run_importer("\"" + work + "/good.tflite\" -o \"" + header + "\" --name good", errors) == 0);
    CHECK(errors.empty());
    CHECK(exists(header));

    // A bad model removes the header of an earlier import instead of leaving it stale.
    model_desc bad = small_conv_model();
    bad.ops[0].code = tflite::BuiltinOperator_MUL;
    write_file(work + "/bad.tflite", build(bad));
    CHECK(run_importer("\"" + work + "/bad.tflite\" -o \"" + header + "\"", errors) == 2);  // refused
    CHECK(errors.find("htvm-import: error:") != std::string::npos);
    CHECK(errors.find("operator 0 (MUL) is not supported") != std::string::npos);
    CHECK(!exists(header));
    CHECK(!exists(header + ".partial"));

    const std::vector<std::uint8_t> kws = read_file(data + "/kws_ref_model.tflite");
    write_file(work + "/truncated.tflite", std::vector<std::uint8_t>(kws.begin(), kws.begin() + 30000));
    CHECK(run_importer("\"" + work + "/truncated.tflite\" -o \"" + header + "\"", errors) == 2);
    CHECK(errors.find("malformed or truncated") != std::string::npos);
    CHECK(!exists(header));

    CHECK(run_importer("\"" + work + "/missing.tflite\" -o \"" + header + "\"", errors) == 3);  // cannot read
    CHECK(errors.find("cannot open") != std::string::npos);
    CHECK(run_importer("\"" + work + "/good.tflite\"", errors) == 4);  // no -o: usage
    CHECK(errors.find("usage: htvm-import") != std::string::npos);
    CHECK(run_importer("--frobnicate", errors) == 4);
    CHECK(errors.find("unexpected argument '--frobnicate'") != std::string::npos);
}

TEST_CASE("TFLite's multiplier arithmetic on hand-computed cases") {
    using htvm_import::add_parameters;
    // 0.5 = 0.5 * 2^0 -> (2^30, 0); 2^-31 = 0.5 * 2^-30 is kept; 2^-32 = 0.5 * 2^-31 is the smallest
    // kept (shift -31); 2^-33 needs shift -32 and flushes to (0, 0), as do the tiny vww scales.
    const auto half = htvm_import::conv_channel_multiplier(1.0f, 0.5f, 1.0f);
    CHECK(half.multiplier == (1 << 30));
    CHECK(half.shift == 0);
    const auto smallest = htvm_import::conv_channel_multiplier(1.0f, 0x1p-32f, 1.0f);
    CHECK(smallest.multiplier == (1 << 30));
    CHECK(smallest.shift == -31);
    const auto flushed = htvm_import::conv_channel_multiplier(1.0f, 0x1p-33f, 1.0f);
    CHECK(flushed.multiplier == 0);
    CHECK(flushed.shift == 0);
    const auto tiny = htvm_import::conv_channel_multiplier(0.02f, 1e-11f, 0.03f);
    CHECK(tiny.multiplier == 0);
    CHECK(tiny.shift == 0);
    // 0.75 = 0.75 * 2^0 -> round(0.75 * 2^31) = 1610612736.
    CHECK(htvm_import::conv_channel_multiplier(1.5f, 0.5f, 1.0f).multiplier == 1610612736);
    // ADD: scales 0.5 and 0.25 into 1.0: twice the larger = 1.0; input multipliers 0.5 and 0.25;
    // output 1.0 / (2^20 * 1.0) = 2^-20 = 0.5 * 2^-19.
    const auto add = add_parameters(0.5f, 0.25f, 1.0f);
    CHECK(add.left_shift == 20);
    CHECK(add.input1.multiplier == (1 << 30));
    CHECK(add.input1.shift == 0);
    CHECK(add.input2.multiplier == (1 << 30));
    CHECK(add.input2.shift == -1);
    CHECK(add.output.multiplier == (1 << 30));
    CHECK(add.output.shift == -19);
    // Fully connected rounds in * w to float first: with in = 1 + 2^-12 and w = 1 + 2^-12 the exact
    // product 1 + 2^-11 + 2^-24 is not a float; float rounding drops the 2^-24 (ties to even), so
    // the multiplier is that of 1 + 2^-11 exactly: 0.5 * (1 + 2^-11) * 2^31 = 2^30 + 2^19, shift 1.
    const float in = 1.0f + 0x1p-12f;
    const auto fc = htvm_import::fully_connected_multiplier(in, in, 1.0f);
    CHECK(fc.multiplier == (1 << 30) + (1 << 19));
    CHECK(fc.shift == 1);
    // ... where the product in double keeps the 2^-24 term: 2^30 + 2^19 + 2^6.
    CHECK(htvm_import::conv_channel_multiplier(in, in, 1.0f).multiplier == (1 << 30) + (1 << 19) + (1 << 6));
}

TEST_CASE("fused activation ranges as TFLite's CalculateActivationRangeQuantized") {
    using htvm_import::fused_activation;
    htvm_import::activation_range r;
    using status = htvm_import::activation_status;
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu6, 6.0f / 255.0f, -128, r) == status::ok);
    CHECK(r.min == -128);
    CHECK(r.max == 127);  // -128 + round(6 / (6/255)) = -128 + 255
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu6, 0.05f, -100, r) == status::ok);
    CHECK(r.min == -100);
    CHECK(r.max == 20);  // -100 + round(6 / 0.05) = -100 + 120
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu, 0.1f, 7, r) == status::ok);
    CHECK(r.min == 7);
    CHECK(r.max == 127);
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu_n1_to_1, 0.25f, 0, r) == status::ok);
    CHECK(r.min == -4);
    CHECK(r.max == 4);
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu, 0.1f, 127, r) == status::ok);
    CHECK(r.min == 127);
    CHECK(htvm_import::int8_activation_range(fused_activation::tanh, 0.1f, 0, r) == status::not_a_clamp);
}

TEST_CASE("activation bounds that are no int32 in output units are refused, as TFLite refuses them") {
    using htvm_import::fused_activation;
    using status = htvm_import::activation_status;
    htvm_import::activation_range r;
    // 6 / 1e-30 = 6e30 and -1 / 1e-30 = -1e30 are far outside int32.
    CHECK(htvm_import::int8_activation_range(fused_activation::relu6, 1e-30f, 0, r) == status::out_of_range);
    CHECK(htvm_import::int8_activation_range(fused_activation::relu_n1_to_1, 1e-30f, 0, r) == status::out_of_range);
    // RELU's only bound is 0: 0 / 1e-30 = 0, the clamp is the zero point.
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu, 1e-30f, 5, r) == status::ok);
    CHECK(r.min == 5);
    CHECK(r.max == 127);
    // Near the edge: 6 / 3e-9 = 2.0e9 < 2^31 = 2147483648 is an int32 (clamped to 127); 6 / 2.5e-9 =
    // 2.4e9 is not.
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu6, 3e-9f, -128, r) == status::ok);
    CHECK(r.min == -128);
    CHECK(r.max == 127);
    CHECK(htvm_import::int8_activation_range(fused_activation::relu6, 2.5e-9f, -128, r) == status::out_of_range);
    // The largest rescale factor TFLite's int32 arithmetic defines is below 2^30 (shift 30).
    CHECK(htvm_import::multiplier_in_range(1e9));
    CHECK(!htvm_import::multiplier_in_range(0x1p30));
    CHECK(!htvm_import::multiplier_in_range(1e10));
    CHECK(!htvm_import::multiplier_in_range(std::numeric_limits<double>::infinity()));
    CHECK(htvm_import::multiplier_in_range(0.0));  // flushes to zero, as TFLite does
}

TEST_CASE("the MLPerf Tiny reference facts: 20 vww channels in 6 operators flush to zero, shifts reach -31") {
    const htvm_import::tflite_model vww = htvm_import::read_tflite_model(data + "/vww_96_int8.tflite");
    int flushed_channels = 0, operators_with_flushed = 0, min_shift = 0;
    for (const htvm_import::operator_record& op : vww.operators) {
        if (op.code != tflite::BuiltinOperator_CONV_2D && op.code != tflite::BuiltinOperator_DEPTHWISE_CONV_2D) continue;
        const auto& in = vww.tensors[static_cast<std::size_t>(op.inputs[0])];
        const auto& filter = vww.tensors[static_cast<std::size_t>(op.inputs[1])];
        const auto& out = vww.tensors[static_cast<std::size_t>(op.outputs[0])];
        int flushed_here = 0;
        for (float s : filter.scales) {
            const auto q = htvm_import::conv_channel_multiplier(in.scales[0], s, out.scales[0]);
            flushed_here += q.multiplier == 0;
            min_shift = q.shift < min_shift ? q.shift : min_shift;
        }
        flushed_channels += flushed_here;
        operators_with_flushed += flushed_here > 0;
    }
    CHECK(flushed_channels == 20);
    CHECK(operators_with_flushed == 6);
    CHECK(min_shift == -31);
}

TEST_CASE("all four MLPerf Tiny models import") {
    for (const char* file : {"kws_ref_model.tflite", "pretrainedResnet_quant.tflite", "vww_96_int8.tflite", "ad01_int8.tflite"}) {
        INFO(file);
        CHECK(import_message(read_file(data + "/" + file)) == "");
    }
}

// ---- issue #23: hostile files ---------------------------------------------------------------------

TEST_CASE("hostile models: each refused quickly with a message naming the problem, or imported") {
    for (const hostile_case& c : hostile_models()) {
        INFO(c.file);
        const auto start = std::chrono::steady_clock::now();
        const std::string message = import_message(build(c.model));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (c.expected.empty()) {
            CHECK(message == "");
        } else {
            CHECK(message.find(c.expected) != std::string::npos);
            INFO(message);
        }
        CHECK(seconds < 1.0);
    }
}

TEST_CASE("the committed fuzz regression inputs are exactly the hostile models, and behave the same") {
    const std::string dir = HTVM_FUZZ_REGRESSIONS_DIR;
    std::set<std::string> committed, expected;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) committed.insert(entry.path().filename().string());
    for (const hostile_case& c : hostile_models()) {
        INFO(c.file);
        expected.insert(c.file);
        const std::vector<std::uint8_t> bytes = read_file(dir + "/" + c.file);
        REQUIRE(!bytes.empty());
        const std::string message = import_message(bytes);
        if (c.expected.empty()) CHECK(message == "");
        else CHECK(message.find(c.expected) != std::string::npos);
        CHECK((c.file.rfind("imports-", 0) == 0) == c.expected.empty());
    }
    CHECK(committed == expected);
}

TEST_CASE("a zero_point vector 4 bytes off an 8-byte boundary is read correctly") {
    model_desc m = small_conv_model();  // input zero point -3
    m.tensors[0].misaligned_zero_points = true;
    const std::vector<std::uint8_t> bytes = build(m);
    // The file really has the misalignment (the vector's storage itself is 16-byte aligned).
    const tflite::Model* model = tflite::GetModel(bytes.data());
    const auto* zp = model->subgraphs()->Get(0)->tensors()->Get(0)->quantization()->zero_point();
    REQUIRE(reinterpret_cast<std::uintptr_t>(bytes.data()) % 8 == 0);
    REQUIRE(static_cast<std::size_t>(zp->Data() - bytes.data()) % 8 == 4);
    REQUIRE(zp->size() == 1);
    const htvm_import::tflite_model parsed = htvm_import::parse_tflite_model(bytes);
    REQUIRE(parsed.tensors[0].zero_points.size() == 1);
    CHECK(parsed.tensors[0].zero_points[0] == -3);
    // Several elements, negative and large: the bytes are little-endian int64.
    m.tensors[1].misaligned_zero_points = true;
    m.tensors[1].zero_points = {0, -1, 0x123456789LL};
    const htvm_import::tflite_model three = htvm_import::parse_tflite_model(build(m));
    CHECK(three.tensors[1].zero_points == std::vector<std::int64_t>{0, -1, 0x123456789LL});
    CHECK(header_of(small_conv_model()).find("input_quantization{0x1p-1f, -3}") != std::string::npos);
}

TEST_CASE("RELU6 and RELU_N1_TO_1 on an output scale of 1e-30 are refused, fused or standalone") {
    model_desc m = small_conv_model();
    m.tensors[0].scales = {1e-30f};
    m.tensors[1].scales = {0.5f};
    m.tensors[1].zero_points = {0};
    m.tensors[3].scales = {1e-30f};
    m.ops[0].options = conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU6);
    CHECK(import_message(m).find("operator 0 (CONV_2D): the output tensor 3 'out' has scale 1e-30, so the bounds of "
                                 "RELU6 (0 and 6) divided by the scale do not fit int32") != std::string::npos);
    m.ops[0].options = conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU);
    CHECK(import_message(m) == "");  // RELU's bound 0 is 0 at any scale
    // Standalone RELU6 with the same quantization on both sides (a clip, no rescale).
    model_desc r = single_operator_model(tflite::BuiltinOperator_RELU6, {1, 2, 2, 1}, 1e-30f, 1e-30f);
    CHECK(import_message(r).find("operator 0 (RELU6): the output tensor 1 'out' has scale 1e-30") != std::string::npos);
    r = single_operator_model(tflite::BuiltinOperator_RELU6, {1, 2, 2, 1}, 0.5f, 0.5f);
    CHECK(header_of(r).find("htvm::clip{.name = \"relu6_t1\", .min = 0, .max = 12}") != std::string::npos);  // 6 / 0.5
}

TEST_CASE("size limits: dimensions, element counts, ranks") {
    // At the limits: a dimension of 65536 and 16 Mi elements import.
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_RELU, {1, 1, 1, 65536}, 0.5f, 0.25f)) == "");
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_RELU, {1, 4096, 4096, 1}, 0.5f, 0.5f)) == "");
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_RELU, {1, 1, 1, 65537}, 0.5f, 0.25f))
              .find("tensor 0 'in' has a dimension of 65537 (axis 3); htvm-import accepts at most 65536") !=
          std::string::npos);
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_RELU, {1, 4097, 4096, 1}, 0.5f, 0.5f))
              .find("tensor 0 'in' has over 16777216 elements") != std::string::npos);
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_RELU, {1, 1, 1, 1, 1, 1, 1, 1, 1}, 0.5f, 0.5f))
              .find("tensor 0 'in' has rank 9; htvm-import accepts at most rank 8") != std::string::npos);
    // A constant over the limit is refused before its data is looked at.
    model_desc m = small_conv_model();
    m.tensors[1].shape = {65536, 3, 3, 65536};
    CHECK(import_message(m).find("tensor 1 'filter' has over 16777216 elements") != std::string::npos);
    // The file size limit, on a sparse file of 256 MiB + 1 byte.
    const std::string big = work + "/too_big.tflite";
    {
        std::ofstream out(big, std::ios::binary);
        out.seekp((256LL << 20));
        out.put('\0');
    }
    std::string message;
    try {
        htvm_import::read_tflite_model(big);
    } catch (const htvm_import::import_error& e) {
        message = e.what();
    }
    std::remove(big.c_str());
    CHECK(message.find("the file is over 256 MiB (limits::max_model_bytes)") != std::string::npos);
}

TEST_CASE("operand counts are checked for every operator") {
    model_desc m = small_conv_model();
    m.ops[0].inputs = {0, 1, 2, 2};
    CHECK(import_message(m).find("operator 0 (CONV_2D) has 4 inputs; CONV_2D takes 2 or 3 (input, filter and an optional bias)") !=
          std::string::npos);
    m = small_conv_model();
    m.ops[0].inputs = {0, 1, -1};  // the bias may be omitted
    CHECK(import_message(m) == "");
    m.ops[0].inputs = {0, -1, 2};
    CHECK(import_message(m).find("operator 0 (CONV_2D) omits its input 1 (tensor -1); CONV_2D needs it") != std::string::npos);
    m = small_conv_model();
    m.ops[0].outputs = {3, 0};
    CHECK(import_message(m).find("operator 0 (CONV_2D) has 2 outputs; CONV_2D has 1") != std::string::npos);
    m = small_conv_model();
    m.ops[0].code = tflite::BuiltinOperator_MAX_POOL_2D;
    CHECK(import_message(m).find("operator 0 (MAX_POOL_2D) has 3 inputs; MAX_POOL_2D takes 1 (one input)") != std::string::npos);
    // The edge operators htvm-import skips are checked too: a QUANTIZE at the float input with a
    // second output, a DEQUANTIZE at the float output with a second input.
    model_desc q = single_operator_model(tflite::BuiltinOperator_RELU, {1, 2, 2, 1}, 0.5f, 0.5f);
    tensor_desc f;
    f.shape = {1, 2, 2, 1};
    f.type = tflite::TensorType_FLOAT32;
    f.name = "float in";
    q.tensors.push_back(f);  // tensor 2
    q.ops.insert(q.ops.begin(), op_desc{tflite::BuiltinOperator_QUANTIZE, {2}, {0, 1}, {}, ""});
    q.inputs = {2};
    CHECK(import_message(q).find("operator 0 (QUANTIZE) has 2 outputs; QUANTIZE has 1") != std::string::npos);
    model_desc d = single_operator_model(tflite::BuiltinOperator_RELU, {1, 2, 2, 1}, 0.5f, 0.5f);
    d.tensors.push_back(f);  // tensor 2
    d.ops.push_back(op_desc{tflite::BuiltinOperator_DEQUANTIZE, {1, 0}, {2}, {}, ""});
    d.outputs = {2};
    CHECK(import_message(d).find("operator 1 (DEQUANTIZE) has 2 inputs; DEQUANTIZE takes 1 (one input)") != std::string::npos);
    d.ops.back().inputs = {1};
    CHECK(import_message(d) == "");
}

TEST_CASE("strings from the file reach the header and the messages escaped") {
    model_desc m = small_conv_model();
    m.tensors[0].name = "in\n#error injected by a tensor name\n";
    m.tensors[1].name = "filter \\";
    m.tensors[3].name = "out ?\?/";
    m.description = "line one\n#include \"/etc/passwd\"\n";
    const std::string header = header_of(m);
    CHECK(!has_line_starting(header, "#error"));
    CHECK(!has_line_starting(header, "#include \""));
    CHECK(header.find("tensor 0 'in\\x0a#error injected by a tensor name\\x0a'") != std::string::npos);
    CHECK(header.find("'filter \\x5c'") != std::string::npos);  // no backslash at all: no line splice
    CHECK(header.find("'out ?\\x3f/'") != std::string::npos);   // no trigraph
    CHECK(header.find("// Model description: line one\\x0a#include \"/etc/passwd\"\\x0a\n") != std::string::npos);
    CHECK(header.find("\\\n") == std::string::npos);  // no line ends with a backslash
    // Messages too: a refused model's message keeps the name on one line.
    m.ops[0].code = tflite::BuiltinOperator_MUL;
    m.ops[0].inputs = {0, 0};
    m.tensors[0].name = "a\nb\x01";
    m.tensors[0].type = tflite::TensorType_INT16;
    const std::string message = import_message(m);
    CHECK(message.find("tensor 0 'a\\x0ab\\x01'") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(htvm_import::display_text(std::string(150, 'x')).size() == 103);  // 100 characters and "..."
}

TEST_CASE("rescale factors beyond TFLite's int32 arithmetic and non-finite softmax beta are refused") {
    model_desc s;
    s.tensors.push_back(activation({1, 10}, 0.1f, 0, "logits"));
    s.tensors.push_back(activation({1, 10}, 1.0f / 256, -128, "probabilities"));
    s.ops.push_back({tflite::BuiltinOperator_SOFTMAX, {0}, {1}, softmax_options(std::numeric_limits<float>::infinity()), ""});
    s.inputs = {0};
    s.outputs = {1};
    CHECK(import_message(s).find("operator 0 (SOFTMAX) has beta inf; beta must be finite") != std::string::npos);
    // QUANTIZE int8 -> int8 from scale 8 to 2^-30: a factor of 2^33 = 8589934592.
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_QUANTIZE, {1, 2, 2, 1}, 8.0f, 0x1p-30f))
              .find("operator 0 (QUANTIZE): the input to output rescale factor 8.58993459e+09 is too large") !=
          std::string::npos);
    // 2^29 is still defined (shift 30), 2^30 is not.
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_QUANTIZE, {1, 2, 2, 1}, 1.0f, 0x1p-29f)) == "");
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_QUANTIZE, {1, 2, 2, 1}, 1.0f, 0x1p-30f))
              .find("rescale factor 1.07374182e+09 is too large") != std::string::npos);
    // ... and 0.5 / 0.25 = 2 is fine.
    CHECK(import_message(single_operator_model(tflite::BuiltinOperator_QUANTIZE, {1, 2, 2, 1}, 0.5f, 0.25f)) == "");
}

TEST_CASE("the tool: a refused model exits 2, and a run removes the old header before anything else") {
    std::string errors;
    const std::string dir = work + "/atomic";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string header = dir + "/net_model.hpp";
    auto listing = [&] {
        std::set<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
        return names;
    };

    // A successful run leaves the header (with the usual permissions) and no temporary file.
    write_file(dir + "/good.tflite", build(small_conv_model()));
    REQUIRE(run_importer("\"" + dir + "/good.tflite\" -o \"" + header + "\" --name good", errors) == 0);
    CHECK(listing() == std::set<std::string>{"good.tflite", "net_model.hpp"});
    const mode_t mask = umask(0);
    umask(mask);
    struct stat st {};
    REQUIRE(stat(header.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == (0666 & ~mask));

    // Each finding's file refused by the tool with status 2, and the header of the good run gone.
    for (const hostile_case& c : hostile_models()) {
        if (c.expected.empty()) continue;
        INFO(c.file);
        write_file(dir + "/hostile.tflite", build(c.model));
        write_file(header, {'o', 'l', 'd'});
        CHECK(run_importer("\"" + dir + "/hostile.tflite\" -o \"" + header + "\"", errors) == 2);
        CHECK(errors.find(c.expected) != std::string::npos);
        CHECK(!exists(header));
    }
    std::remove((dir + "/hostile.tflite").c_str());

    // A run killed while it reads the model (a FIFO that the test feeds slowly, so that the moment is
    // deterministic): the old header is already gone, and nothing else is left.
    for (int sig : {SIGKILL, SIGTERM}) {
        INFO("signal " << sig);
        write_file(header, {'o', 'l', 'd'});
        const std::string fifo = dir + "/model.fifo";
        REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            execl(HTVM_IMPORT_PATH, "htvm-import", fifo.c_str(), "-o", header.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        // Succeeds once the importer has opened the model (ENXIO before); given up after 20 s.
        int fd = -1;
        for (int tries = 0; fd < 0 && tries < 2000; ++tries) {
            fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
            if (fd < 0) usleep(10000);
        }
        if (fd < 0) kill(pid, SIGKILL);
        REQUIRE(fd >= 0);
        REQUIRE(fcntl(fd, F_SETFL, 0) == 0);  // blocking writes again
        const std::vector<std::uint8_t> model = build(small_conv_model());
        REQUIRE(write(fd, model.data(), 100) == 100);  // the importer now waits for the rest
        CHECK(!exists(header));
        kill(pid, sig);
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        close(fd);
        CHECK(WIFSIGNALED(status));
        CHECK(!exists(header));
        std::remove(fifo.c_str());
        CHECK(listing() == std::set<std::string>{"good.tflite"});
    }
}
