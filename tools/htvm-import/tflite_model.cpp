#include "tflite_model.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tflite_subset_generated.h"

namespace htvm_import {

namespace {

constexpr unsigned supported_schema_version = 3;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

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
    std::string shown;
    for (char c : name) shown += (c >= 32 && c < 127) ? c : '?';
    if (shown.size() > 100) shown = shown.substr(0, 100) + "...";
    return text + "] '" + shown + "'";
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
    if (f == nullptr) throw import_error("cannot open " + quoted(path) + ": " + std::strerror(errno));
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[65536];
    for (;;) {
        const std::size_t got = std::fread(chunk, 1, sizeof chunk, f);
        bytes.insert(bytes.end(), chunk, chunk + got);
        if (got < sizeof chunk) break;
    }
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw import_error("cannot read " + quoted(path));
    return parse_tflite_model(std::move(bytes));
}

tflite_model parse_tflite_model(std::vector<std::uint8_t> bytes) {
    tflite_model result;
    result.file = std::move(bytes);
    const std::uint8_t* base = result.file.data();
    const std::size_t size = result.file.size();

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
    const int tensor_count = graph->tensors() == nullptr ? 0 : static_cast<int>(graph->tensors()->size());
    for (int i = 0; i < tensor_count; ++i) {
        const tflite::Tensor* t = graph->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i));
        tensor out;
        out.index = i;
        out.name = t->name() != nullptr ? t->name()->str() : "";
        out.type = t->type();
        if (t->shape() != nullptr)
            for (int d : *t->shape()) {
                if (d < 0) throw import_error(out.describe() + " has a dynamic dimension (" + std::to_string(d) +
                                              "); only static shapes are supported");
                out.shape.push_back(d);
            }
        if (t->sparsity() != nullptr) throw import_error(out.describe() + " is sparse; sparse tensors are not supported");
        if (const tflite::QuantizationParameters* q = t->quantization()) {
            if (q->details_type() != tflite::QuantizationDetails_NONE)
                throw import_error(out.describe() + " uses custom quantization details; not supported");
            if (q->scale() != nullptr) out.scales.assign(q->scale()->begin(), q->scale()->end());
            if (q->zero_point() != nullptr) out.zero_points.assign(q->zero_point()->begin(), q->zero_point()->end());
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
