// htvm-import on bad input: malformed, truncated, wrong-version and unsupported models (written
// here with the flatbuffers builder) each give their own message and never crash; the tool exits
// non-zero and leaves no header behind. Also TFLite's quantization arithmetic on hand-computed
// cases and on the facts the MLPerf Tiny reference documents.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bad_models/tflite_builder.hpp"
#include "header_generator.hpp"
#include "tflite_arithmetic.hpp"
#include "tflite_model.hpp"

namespace {

using namespace test_models;
using A = tflite::ActivationFunctionType;

// A valid little model: [1,4,4,2] -> CONV_2D 3x3 SAME, 3 filters, RELU -> [1,4,4,3].
model_desc conv_model() {
    model_desc m;
    m.tensors.push_back(activation({1, 4, 4, 2}, 0.5f, -3, "in"));
    tensor_desc filter;
    filter.shape = {3, 3, 3, 2};
    filter.scales = {0.1f, 0.2f, 0.3f};
    filter.zero_points = {0, 0, 0};
    std::vector<int> w;
    for (int i = 0; i < 54; ++i) w.push_back(pattern(i, 5));
    filter.data = int8_bytes(w);
    filter.name = "filter";
    m.tensors.push_back(filter);
    tensor_desc bias;
    bias.shape = {3};
    bias.type = tflite::TensorType_INT32;
    bias.data = int32_bytes({1, 2, 3});
    m.tensors.push_back(bias);
    m.tensors.push_back(activation({1, 4, 4, 3}, 0.25f, -128, "out"));
    m.ops.push_back({tflite::BuiltinOperator_CONV_2D, {0, 1, 2}, {3}, conv_options(tflite::Padding_SAME, 1, A::ActivationFunctionType_RELU), ""});
    m.inputs = {0};
    m.outputs = {3};
    return m;
}

// The import's error message, or "" when it succeeds. Any other exception fails the test.
std::string import_message(const std::vector<std::uint8_t>& bytes, const std::string& name = "m") {
    try {
        const htvm_import::tflite_model model = htvm_import::parse_tflite_model(bytes);
        htvm_import::generate_header(model, {name, "test.tflite"});
    } catch (const htvm_import::import_error& e) {
        return e.what();
    }
    return "";
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
    CHECK(import_message(conv_model()) == "");
    const std::string header =
        htvm_import::generate_header(htvm_import::parse_tflite_model(build(conv_model())), {"little", "x.tflite"});
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
    model_desc m = conv_model();
    m.version = 2;
    CHECK(import_message(m).find("schema version 2 is not supported (expected 3)") != std::string::npos);
    m = conv_model();
    m.subgraph_copies = 2;
    CHECK(import_message(m).find("the model has 2 subgraphs; htvm-import supports exactly one") != std::string::npos);
    m = conv_model();
    m.inputs = {0, 3};
    CHECK(import_message(m).find("the model has 2 input tensors") != std::string::npos);
    m = conv_model();
    m.outputs = {};
    CHECK(import_message(m).find("the model has 0 output tensors") != std::string::npos);
}

TEST_CASE("unsupported operators are named") {
    model_desc m = conv_model();
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
    model_desc m = conv_model();
    m.tensors[0].type = tflite::TensorType_FLOAT32;
    CHECK(import_message(m).find("the model input tensor 0 'in' is FLOAT32") != std::string::npos);
    m = conv_model();
    m.tensors[3].type = tflite::TensorType_INT16;
    CHECK(import_message(m).find("tensor 3 'out' has type INT16; htvm runs int8 tensors only") != std::string::npos);
    m = conv_model();
    m.tensors[3].scales.clear();
    m.tensors[3].zero_points.clear();
    CHECK(import_message(m).find("tensor 3 'out' is not quantized") != std::string::npos);
    m = conv_model();
    m.tensors[1].zero_points = {0, 4, 0};
    CHECK(import_message(m).find("filter tensor 1 'filter' has zero point 4") != std::string::npos);
    m = conv_model();
    m.tensors[2].type = tflite::TensorType_INT64;
    m.tensors[2].data.resize(24);
    CHECK(import_message(m).find("has type INT64; int8 layers need INT32 biases") != std::string::npos);
    m = conv_model();
    m.tensors[1].data.pop_back();  // shape says 54 bytes
    CHECK(import_message(m).find("tensor 1 'filter' has 53 bytes of data, but its shape and type need 54") !=
          std::string::npos);
}

TEST_CASE("unsupported operator options are named") {
    model_desc m = conv_model();
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
    model_desc m = conv_model();
    m.ops[0].inputs = {0, 9, 2};
    CHECK(import_message(m).find("operator 0 (CONV_2D) input refers to tensor 9, but the subgraph has 4 tensors") !=
          std::string::npos);
    m = conv_model();
    m.ops[0].inputs = {3, 1, 2};  // reads its own output
    CHECK(import_message(m).find("reads tensor 3 'out', which no earlier operator produces") != std::string::npos);
    m = conv_model();
    m.outputs = {0};
    CHECK(import_message(m).find("is not produced by the last operator") != std::string::npos);
    m = conv_model();
    m.ops.clear();
    CHECK(import_message(m).find("the model has no operators") != std::string::npos);
    CHECK(import_message(build(conv_model()), "2bad").find("not a valid C++ identifier") != std::string::npos);
    CHECK(import_message(build(conv_model()), "namespace").find("not a valid C++ identifier") != std::string::npos);
}

TEST_CASE("the htvm-import tool: exit status, messages, and no partial header") {
    std::string errors;
    const std::string header = work + "/out_model.hpp";

    write_file(work + "/good.tflite", build(conv_model()));
    CHECK(run_importer("\"" + work + "/good.tflite\" -o \"" + header + "\" --name good", errors) == 0);
    CHECK(errors.empty());
    CHECK(exists(header));

    // A bad model removes the header of an earlier import instead of leaving it stale.
    model_desc bad = conv_model();
    bad.ops[0].code = tflite::BuiltinOperator_MUL;
    write_file(work + "/bad.tflite", build(bad));
    CHECK(run_importer("\"" + work + "/bad.tflite\" -o \"" + header + "\"", errors) == 1);
    CHECK(errors.find("htvm-import: error:") != std::string::npos);
    CHECK(errors.find("operator 0 (MUL) is not supported") != std::string::npos);
    CHECK(!exists(header));
    CHECK(!exists(header + ".partial"));

    const std::vector<std::uint8_t> kws = read_file(data + "/kws_ref_model.tflite");
    write_file(work + "/truncated.tflite", std::vector<std::uint8_t>(kws.begin(), kws.begin() + 30000));
    CHECK(run_importer("\"" + work + "/truncated.tflite\" -o \"" + header + "\"", errors) == 1);
    CHECK(errors.find("malformed or truncated") != std::string::npos);
    CHECK(!exists(header));

    CHECK(run_importer("\"" + work + "/missing.tflite\" -o \"" + header + "\"", errors) == 1);
    CHECK(errors.find("cannot open") != std::string::npos);
    CHECK(run_importer("\"" + work + "/good.tflite\"", errors) == 2);  // no -o
    CHECK(errors.find("usage: htvm-import") != std::string::npos);
    CHECK(run_importer("--frobnicate", errors) == 2);
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
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu6, 6.0f / 255.0f, -128, r));
    CHECK(r.min == -128);
    CHECK(r.max == 127);  // -128 + round(6 / (6/255)) = -128 + 255
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu6, 0.05f, -100, r));
    CHECK(r.min == -100);
    CHECK(r.max == 20);  // -100 + round(6 / 0.05) = -100 + 120
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu, 0.1f, 7, r));
    CHECK(r.min == 7);
    CHECK(r.max == 127);
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu_n1_to_1, 0.25f, 0, r));
    CHECK(r.min == -4);
    CHECK(r.max == 4);
    REQUIRE(htvm_import::int8_activation_range(fused_activation::relu, 0.1f, 127, r));
    CHECK(r.min == 127);
    CHECK(!htvm_import::int8_activation_range(fused_activation::tanh, 0.1f, 0, r));
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
