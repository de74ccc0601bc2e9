// Border ("halo") arithmetic of one spatial axis: which input rows (or columns) a run of output rows
// reads, clipped to the tensor, and how much implicit padding remains before the first loaded row.
// A tile kernel given the loaded rows and that padding computes exactly what the untiled kernel
// computes for those outputs: every row it would read outside the loaded range is padding.
#pragma once

namespace htvm::tiling {

struct axis_range {
    int begin = 0;       // first input row loaded
    int count = 0;       // rows loaded (0 when the outputs read padding only)
    int pad_before = 0;  // padding rows the tile kernel must assume before `begin`
};

// Input rows read by outputs [out_begin, out_begin + out_count) of a window of `kernel` rows moving by
// `stride`, with `pad_before` padding rows before an input of `in_size` rows.
constexpr axis_range input_range(int out_begin, int out_count, int stride, int kernel, int pad_before, int in_size) {
    const int first = out_begin * stride - pad_before;                    // may be negative: padding
    const int end = (out_begin + out_count - 1) * stride - pad_before + kernel;  // exclusive, may pass in_size
    const int begin = first < 0 ? 0 : first;
    int stop = end > in_size ? in_size : end;
    if (stop < begin) stop = begin;
    return {begin, stop - begin, begin - first};
}

// Input rows of a tile of `out_count` outputs, whatever its position: the buffer size an axis needs.
constexpr int input_extent(int out_count, int stride, int kernel, int in_size) {
    const int span = (out_count - 1) * stride + kernel;
    return span < in_size ? span : in_size;
}

// Number of tiles of `tile` elements covering `total` (the last one may be shorter: the border tile).
constexpr int tile_count(int total, int tile) { return (total + tile - 1) / tile; }

}  // namespace htvm::tiling
