// The little file I/O the MLPerf Tiny programs need, on <cstdio> only and kept in these few
// functions, so that main.cpp builds unchanged for bare metal. There (picolibc) opening a file
// would allocate a FILE from the heap, which firmware must not link, so files are a host feature:
// on bare metal every open fails and the programs only run their built-in golden check.
#pragma once
#include <cstdint>
#include <cstdio>

#include <htvm/firmware/machine.hpp>

namespace mlperf_tiny {

#if defined(HTVM_MACHINE_HOST)
inline constexpr bool files_available = true;
inline std::FILE* open_file(const char* path, const char* mode) { return std::fopen(path, mode); }
#else
inline constexpr bool files_available = false;
inline std::FILE* open_file(const char*, const char*) { return nullptr; }
#endif

enum class read_status { ok, cannot_open, wrong_size };

// Reads exactly `bytes` bytes; `actual` receives how many the file has (up to bytes + 1).
inline read_status read_exact(const char* path, std::int8_t* out, int bytes, long& actual) {
    std::FILE* f = open_file(path, "rb");
    actual = 0;
    if (f == nullptr) return read_status::cannot_open;
    actual = static_cast<long>(std::fread(out, 1, static_cast<std::size_t>(bytes), f));
    if (actual == bytes) {
        // One more byte means the file is too long.
        std::int8_t extra = 0;
        if (std::fread(&extra, 1, 1, f) == 1) {
            // Count the rest, for the error message.
            while (std::fread(&extra, 1, 1, f) == 1 && actual < 1L << 30) ++actual;
            ++actual;
        }
    }
    std::fclose(f);
    return actual == bytes ? read_status::ok : read_status::wrong_size;
}

inline bool write_bytes(const char* path, const std::int8_t* data, int bytes) {
    std::FILE* f = open_file(path, "wb");
    if (f == nullptr) return false;
    const bool ok = std::fwrite(data, 1, static_cast<std::size_t>(bytes), f) == static_cast<std::size_t>(bytes);
    return std::fclose(f) == 0 && ok;
}

// One tensor in the golden dump format: "tensor <index> <count>: v v v ...".
inline void write_tensor_line(std::FILE* f, int tensor, const std::int8_t* data, int count) {
    std::fprintf(f, "tensor %d %d:", tensor, count);
    for (int i = 0; i < count; ++i) std::fprintf(f, " %d", static_cast<int>(data[i]));
    std::fputc('\n', f);
}

}  // namespace mlperf_tiny
