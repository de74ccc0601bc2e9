#include "tflite_model.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tflite_subset_generated.h"

namespace htvm_import {

namespace {

constexpr unsigned supported_schema_version = 3;

// Names in messages and comments: escaped, and cut only when absurdly long (TensorFlow's fused names
// reach a few hundred characters).
std::string quoted(const std::string& text, std::size_t limit = 1000) { return "'" + display_text(text, limit) + "'"; }

// Little-endian element `i` of a flatbuffers vector of 8-byte scalars, read byte by byte: the
// verifier checks the alignment of a vector's length field (4 bytes) but not that of 8-byte
// elements, so a [long] vector may start 4 bytes off an 8-byte boundary.
std::int64_t read_le_i64(const std::uint8_t* elements, std::size_t i) {
    const std::uint8_t* p = elements + 8 * i;
    std::uint64_t v = 0;
    for (int b = 7; b >= 0; --b) v = v << 8 | p[b];
    return static_cast<std::int64_t>(v);
}

float read_le_f32(const std::uint8_t* elements, std::size_t i) {
    const std::uint8_t* p = elements + 4 * i;
    const std::uint32_t bits = static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                               static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
    float v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

int element_size(int type) {
    switch (type) {
        case tflite::TensorType_INT8:
        case tflite::TensorType_UINT8:
        case tflite::TensorType_BOOL: return 1;
        case tflite::TensorType_INT16:
        case tflite::TensorType_FLOAT16:
        case tflite::TensorType_UINT16: return 2;
        case tflite::TensorType_INT32:
        case tflite::TensorType_FLOAT32:
        case tflite::TensorType_UINT32: return 4;
        case tflite::TensorType_INT64:
        case tflite::TensorType_FLOAT64:
        case tflite::TensorType_UINT64:
        case tflite::TensorType_COMPLEX64: return 8;
        default: return 0;  // no fixed size (strings, resources, int4...): never a supported constant
    }
}

void check_tensor_index(int value, int tensor_count, bool optional_allowed, const std::string& where) {
    if (value == -1 && optional_allowed) return;
    if (value < 0 || value >= tensor_count)
        throw import_error(where + " refers to tensor " + std::to_string(value) + ", but the subgraph has " +
                           std::to_string(tensor_count) + " tensors");
}

}  // namespace

long long tensor::elements() const {
    // Saturates far above anything a device holds, so that absurd shapes cannot overflow.
    constexpr long long limit = 1LL << 40;
    long long count = 1;
    for (int d : shape) count = count > limit / (d > 0 ? d : 1) ? limit : count * d;
    return count;
}

std::string tensor::describe() const { return "tensor " + std::to_string(index) + " " + quoted(name); }

std::string tensor::summary() const {
    std::string text = "tensor " + std::to_string(index) + " " + type_name(type) + " [";
    for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "] " + quoted(name, 100);
}

std::string operator_record::describe() const {
    std::string text = "operator " + std::to_string(index) + " (" + operator_name(code);
    if (!custom_code.empty()) text += " " + quoted(custom_code);
    return text + ")";
}

std::string operator_name(int code) {
    if (code >= tflite::BuiltinOperator_MIN && code <= tflite::BuiltinOperator_MAX) {
        const char* name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(code));
        if (name != nullptr && name[0] != '\0') return name;
    }
    return "BUILTIN_OPERATOR_" + std::to_string(code);
}

std::string type_name(int type) {
    if (type >= tflite::TensorType_MIN && type <= tflite::TensorType_MAX) {
        const char* name = tflite::EnumNameTensorType(static_cast<tflite::TensorType>(type));
        if (name != nullptr && name[0] != '\0') return name;
    }
    return "TENSOR_TYPE_" + std::to_string(type);
}

tflite_model read_tflite_model(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw file_error("cannot open " + quoted(path) + ": " + std::strerror(errno));
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[65536];
    bool too_large = false;
    for (;;) {
        const std::size_t got = std::fread(chunk, 1, sizeof chunk, f);
        bytes.insert(bytes.end(), chunk, chunk + got);
        if (static_cast<long long>(bytes.size()) > limits::max_model_bytes) {
            too_large = true;
            break;
        }
        if (got < sizeof chunk) break;
    }
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw file_error("cannot read " + quoted(path));
    if (too_large)
        throw import_error("the file is over " + std::to_string(limits::max_model_bytes >> 20) +
                           " MiB (limits::max_model_bytes); no microcontroller model is that large");
    return parse_tflite_model(std::move(bytes));
}

tflite_model parse_tflite_model(std::vector<std::uint8_t> bytes) {
    tflite_model result;
    result.file = std::move(bytes);
    const std::uint8_t* base = result.file.data();
    const std::size_t size = result.file.size();
    if (static_cast<long long>(size) > limits::max_model_bytes)
        throw import_error("the file is over " + std::to_string(limits::max_model_bytes >> 20) +
                           " MiB (limits::max_model_bytes); no microcontroller model is that large");

    // A flatbuffer starts with the root offset, then (for TFLite) the 4-byte file identifier.
    if (size < 8)
        throw import_error("not a TFLite model: the file is " + std::to_string(size) +
                           " bytes long, too short for a flatbuffer header (truncated?)");
    if (!flatbuffers::BufferHasIdentifier(base, tflite::ModelIdentifier())) {
        std::string found;
        for (int i = 4; i < 8; ++i) {
            const char c = static_cast<char>(base[i]);
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(base[i]));
            found += (c >= 32 && c < 127) ? std::string(1, c) : std::string(escaped);
        }
        throw import_error("not a TFLite model: file identifier is '" + found + "', expected 'TFL3'");
    }
    flatbuffers::Verifier verifier(base, size);
    if (!tflite::VerifyModelBuffer(verifier))
        throw import_error("malformed or truncated TFLite file: the flatbuffer does not verify "
                           "(an offset or a length points outside the " + std::to_string(size) + " bytes)");

    const tflite::Model* model = tflite::GetModel(base);
    if (model->version() != supported_schema_version)
        throw import_error("TFLite schema version " + std::to_string(model->version()) + " is not supported (expected " +
                           std::to_string(supported_schema_version) + ")");
    if (model->description() != nullptr) result.description = model->description()->str();
    const auto* subgraphs = model->subgraphs();
    if (subgraphs == nullptr || subgraphs->size() == 0) throw import_error("the model has no subgraph");
    if (subgraphs->size() != 1)
        throw import_error("the model has " + std::to_string(subgraphs->size()) +
                           " subgraphs; htvm-import supports exactly one (no control flow, no signatures with "
                           "their own graphs)");
    const tflite::SubGraph* graph = subgraphs->Get(0);
    const auto* buffers = model->buffers();
    const int buffer_count = buffers == nullptr ? 0 : static_cast<int>(buffers->size());

    // Tensors.
    const flatbuffers::uoffset_t raw_tensor_count = graph->tensors() == nullptr ? 0 : graph->tensors()->size();
    if (raw_tensor_count > static_cast<flatbuffers::uoffset_t>(limits::max_tensors))
        throw import_error("the subgraph has " + std::to_string(raw_tensor_count) + " tensors; htvm-import accepts at most " +
                           std::to_string(limits::max_tensors) + " (limits::max_tensors)");
    const int tensor_count = static_cast<int>(raw_tensor_count);
    for (int i = 0; i < tensor_count; ++i) {
        const tflite::Tensor* t = graph->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i));
        tensor out;
        out.index = i;
        out.name = t->name() != nullptr ? t->name()->str() : "";
        out.type = t->type();
        if (t->shape() != nullptr) {
            if (t->shape()->size() > static_cast<flatbuffers::uoffset_t>(limits::max_rank))
                throw import_error(out.describe() + " has rank " + std::to_string(t->shape()->size()) +
                                   "; htvm-import accepts at most rank " + std::to_string(limits::max_rank) +
                                   " (limits::max_rank)");
            long long elements = 1;
            for (int d : *t->shape()) {
                if (d < 0) throw import_error(out.describe() + " has a dynamic dimension (" + std::to_string(d) +
                                              "); only static shapes are supported");
                if (d > limits::max_dimension)
                    throw import_error(out.describe() + " has a dimension of " + std::to_string(d) + " (axis " +
                                       std::to_string(out.shape.size()) + "); htvm-import accepts at most " +
                                       std::to_string(limits::max_dimension) + " (limits::max_dimension)");
                out.shape.push_back(d);
                elements *= d;  // at most 2^24 * 65536 = 2^40: the check below stops the loop before an overflow
                if (elements > limits::max_tensor_elements)
                    throw import_error(out.describe() + " has over " + std::to_string(limits::max_tensor_elements) +
                                       " elements (limits::max_tensor_elements: 16 Mi); no microcontroller model "
                                       "has such a tensor");
            }
        }
        if (t->sparsity() != nullptr) throw import_error(out.describe() + " is sparse; sparse tensors are not supported");
        if (const tflite::QuantizationParameters* q = t->quantization()) {
            if (q->details_type() != tflite::QuantizationDetails_NONE)
                throw import_error(out.describe() + " uses custom quantization details; not supported");
            const auto* scales = q->scale();
            const auto* zero_points = q->zero_point();
            const std::size_t entries = std::max<std::size_t>(scales != nullptr ? scales->size() : 0,
                                                              zero_points != nullptr ? zero_points->size() : 0);
            if (entries > static_cast<std::size_t>(limits::max_quantization_entries))
                throw import_error(out.describe() + " has " + std::to_string(entries) +
                                   " quantization scales or zero points; htvm-import accepts at most " +
                                   std::to_string(limits::max_quantization_entries) +
                                   " (limits::max_quantization_entries)");
            // Element by element from the bytes: see read_le_i64 on alignment.
            if (scales != nullptr)
                for (flatbuffers::uoffset_t k = 0; k < scales->size(); ++k) out.scales.push_back(read_le_f32(scales->Data(), k));
            if (zero_points != nullptr)
                for (flatbuffers::uoffset_t k = 0; k < zero_points->size(); ++k)
                    out.zero_points.push_back(read_le_i64(zero_points->Data(), k));
            out.quantized_dimension = q->quantized_dimension();
        }
        const unsigned buffer_index = t->buffer();
        if (buffer_index != 0) {
            if (static_cast<long long>(buffer_index) >= buffer_count)
                throw import_error(out.describe() + " refers to buffer " + std::to_string(buffer_index) +
                                   ", but the model has " + std::to_string(buffer_count) + " buffers");
            const tflite::Buffer* b = buffers->Get(buffer_index);
            if (b->offset() > 1)
                throw import_error(out.describe() + " keeps its data outside the flatbuffer (models over 2 GB); "
                                   "not supported");
            if (b->data() != nullptr && b->data()->size() > 0) {
                out.data = b->data()->data();
                out.data_bytes = b->data()->size();
                const int bytes_per_element = element_size(out.type);
                if (bytes_per_element == 0)
                    throw import_error(out.describe() + " is a constant of type " + type_name(out.type) +
                                       "; not supported");
                const long long expected = out.elements() * bytes_per_element;
                if (static_cast<long long>(out.data_bytes) != expected)
                    throw import_error(out.describe() + " has " + std::to_string(out.data_bytes) +
                                       " bytes of data, but its shape and type need " + std::to_string(expected));
            }
        }
        result.tensors.push_back(std::move(out));
    }

    // Operators.
    const auto* codes = model->operator_codes();
    const int code_count = codes == nullptr ? 0 : static_cast<int>(codes->size());
    if (graph->operators() != nullptr) {
        if (graph->operators()->size() > static_cast<flatbuffers::uoffset_t>(limits::max_operators))
            throw import_error("the subgraph has " + std::to_string(graph->operators()->size()) +
                               " operators; htvm-import accepts at most " + std::to_string(limits::max_operators) +
                               " (limits::max_operators)");
        const int op_count = static_cast<int>(graph->operators()->size());
        for (int i = 0; i < op_count; ++i) {
            const tflite::Operator* op = graph->operators()->Get(static_cast<flatbuffers::uoffset_t>(i));
            operator_record rec;
            rec.index = i;
            rec.options = op;
            const std::string where = "operator " + std::to_string(i);
            if (static_cast<long long>(op->opcode_index()) >= code_count)
                throw import_error(where + " uses operator code " + std::to_string(op->opcode_index()) +
                                   ", but the model declares " + std::to_string(code_count));
            const tflite::OperatorCode* code = codes->Get(op->opcode_index());
            // TFLite's rule: the larger of the legacy byte field and the extended field.
            rec.code = std::max(static_cast<int>(code->deprecated_builtin_code()), static_cast<int>(code->builtin_code()));
            rec.version = code->version();
            if (code->custom_code() != nullptr) rec.custom_code = code->custom_code()->str();
            if (op->inputs() != nullptr)
                for (int t : *op->inputs()) {
                    check_tensor_index(t, tensor_count, true, rec.describe() + " input");
                    rec.inputs.push_back(t);
                }
            if (op->outputs() != nullptr)
                for (int t : *op->outputs()) {
                    check_tensor_index(t, tensor_count, false, rec.describe() + " output");
                    rec.outputs.push_back(t);
                }
            result.operators.push_back(std::move(rec));
        }
    }
    if (graph->inputs() != nullptr)
        for (int t : *graph->inputs()) {
            check_tensor_index(t, tensor_count, false, "the subgraph's input list");
            result.inputs.push_back(t);
        }
    if (graph->outputs() != nullptr)
        for (int t : *graph->outputs()) {
            check_tensor_index(t, tensor_count, false, "the subgraph's output list");
            result.outputs.push_back(t);
        }
    return result;
}

}  // namespace htvm_import
