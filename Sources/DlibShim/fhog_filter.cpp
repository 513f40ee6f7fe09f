#include "fhog_filter.h"

#include <immintrin.h>

// dlib 19.24's float_spatially_filter_image_separable filters a plane in two passes (rows into a
// scratch plane, then columns into the output) and computes each output, 8 columns at a time, as
// three interleaved sums over the 10 taps (taps 0,3,6,9 / 1,4,7 / 2,5,8), then s0 + (s1 + s2),
// every product and sum rounded on its own. The columns after the last full block of 8 are done
// one float at a time, and there the compiler fuses each multiply-add (this shim is built with
// FMA). fr_fhog performs exactly those operations, so every output has the same bits, but:
//  - the 10 taps are broadcast once per pass, not once per 8 outputs;
//  - the column pass makes two output rows from 11 input rows (they share 10 loads);
//  - the last columns get the same fused operations 8 lanes at a time instead of one.
// FhogFilterCheck, in the tests, compares every output against dlib's own function.

namespace fr_fhog {

using namespace dlib;

namespace {

constexpr long taps = 10;

struct broadcast_taps {
    __m256 f[taps];
    explicit broadcast_taps(const matrix<float, 0, 1> &filter) {
        for (long n = 0; n < taps; ++n) f[n] = _mm256_set1_ps(filter(n));
    }
};

// Adds input m times tap m to the sum dlib keeps it in.
inline void add_tap(__m256 (&sums)[3], __m256 input, __m256 tap, long m) {
    const __m256 product = _mm256_mul_ps(input, tap);
    sums[m % 3] = m < 3 ? product : _mm256_add_ps(sums[m % 3], product);
}

// s0 + (s1 + s2). dlib's sums start from +0, so a zero result is always +0; adding +0 turns the
// -0 that starting from the first product can leave into +0 and changes nothing else.
inline __m256 total(const __m256 (&sums)[3]) {
    return _mm256_add_ps(_mm256_add_ps(sums[0], _mm256_add_ps(sums[1], sums[2])), _mm256_setzero_ps());
}

// 8 outputs from inputs p[0], p[step], ... p[9 * step].
inline __m256 weigh(const float *p, long step, const broadcast_taps &t) {
    __m256 sums[3];
    for (long m = 0; m < taps; ++m) add_tap(sums, _mm256_loadu_ps(p + m * step), t.f[m], m);
    return total(sums);
}

// 8 outputs and the 8 below them (one step further): input m + 1 is the lower row's input m.
inline void weigh_pair(const float *p, long step, const broadcast_taps &t, __m256 &upper, __m256 &lower) {
    __m256 a[3], b[3];
    for (long m = 0; m <= taps; ++m) {
        const __m256 input = _mm256_loadu_ps(p + m * step);
        if (m < taps) add_tap(a, input, t.f[m], m);
        if (m > 0) add_tap(b, input, t.f[m - 1], m - 1);
    }
    upper = total(a);
    lower = total(b);
}

inline __m256i first_lanes(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// The last columns of a row (count < 8), as dlib's scalar loop: temp = 0, then one fused
// multiply-add per tap in tap order. Masked loads keep the unused lanes from reading past the plane.
inline void weigh_last(float *out, const float *p, long step, const broadcast_taps &t, long count, bool add_to) {
    const __m256i lanes = first_lanes(count);
    __m256 sum = _mm256_setzero_ps();
    for (long m = 0; m < taps; ++m) sum = _mm256_fmadd_ps(_mm256_maskload_ps(p + m * step, lanes), t.f[m], sum);
    if (add_to) sum = _mm256_add_ps(_mm256_maskload_ps(out, lanes), sum);
    _mm256_maskstore_ps(out, lanes, sum);
}

inline void store(float *out, __m256 value, bool add_to) {
    _mm256_storeu_ps(out, add_to ? _mm256_add_ps(value, _mm256_loadu_ps(out)) : value);
}

}  // namespace

rectangle filter_separable(const array2d<float> &in, array2d<float> &out, const matrix<float, 0, 1> &row_filter,
                           const matrix<float, 0, 1> &col_filter, std::vector<float> &scratch, bool add_to) {
    if (row_filter.size() != taps || col_filter.size() != taps) {
        array2d<float> dlib_scratch;
        return float_spatially_filter_image_separable(in, out, row_filter, col_filter, dlib_scratch, add_to);
    }
    const long nr = in.nr(), nc = in.nc();
    if (nr == 0 || nc == 0) {
        out.clear();
        return rectangle();
    }
    out.set_size(nr, nc);
    // The outputs whose 10x10 neighbourhood lies inside the plane, as dlib centres its filters.
    const long first = taps / 2, last_row = nr - (taps - 1) / 2, last_col = nc - (taps - 1) / 2;
    const rectangle interior(first, first, last_col - 1, last_row - 1);
    if (!add_to) zero_border_pixels(out, interior);
    scratch.resize(size_t(nr * nc));

    const broadcast_taps row_taps(row_filter);
    for (long r = 0; r < nr; ++r) {
        const float *input = &in[r][0] - first;
        float *rows = scratch.data() + r * nc;
        long c = first;
        for (; c < last_col - 7; c += 8) _mm256_storeu_ps(rows + c, weigh(input + c, 1, row_taps));
        if (c < last_col) weigh_last(rows + c, input + c, 1, row_taps, last_col - c, false);
    }

    const broadcast_taps col_taps(col_filter);
    long r = first;
    for (; r + 1 < last_row; r += 2) {
        const float *rows = scratch.data() + (r - first) * nc;
        float *upper = &out[r][0], *lower = &out[r + 1][0];
        long c = first;
        for (; c < last_col - 7; c += 8) {
            __m256 a, b;
            weigh_pair(rows + c, nc, col_taps, a, b);
            store(upper + c, a, add_to);
            store(lower + c, b, add_to);
        }
        if (c < last_col) {
            weigh_last(upper + c, rows + c, nc, col_taps, last_col - c, add_to);
            weigh_last(lower + c, rows + nc + c, nc, col_taps, last_col - c, add_to);
        }
    }
    for (; r < last_row; ++r) {
        const float *rows = scratch.data() + (r - first) * nc;
        float *output = &out[r][0];
        long c = first;
        for (; c < last_col - 7; c += 8) store(output + c, weigh(rows + c, nc, col_taps), add_to);
        if (c < last_col) weigh_last(output + c, rows + c, nc, col_taps, last_col - c, add_to);
    }
    return interior;
}

rectangle apply_filters(const filterbank &w, const array<array2d<float>> &feats, array2d<float> &saliency_image) {
    const double separable_cost_limit = w.filters.size() * std::min(w.filters[0].nr(), w.filters[0].nc()) / 3.0;
    rectangle area;
    if (w.num_separable_filters() > separable_cost_limit) {
        area = spatially_filter_image(feats[0], saliency_image, w.filters[0]);
        for (unsigned long i = 1; i < w.filters.size(); ++i)
            spatially_filter_image(feats[i], saliency_image, w.filters[i], 1, false, true);
        return area;
    }
    saliency_image.clear();
    std::vector<float> scratch;
    for (unsigned long i = 0; i < w.row_filters.size(); ++i)
        for (unsigned long j = 0; j < w.row_filters[i].size(); ++j)
            area = filter_separable(feats[i], saliency_image, w.row_filters[i][j], w.col_filters[i][j], scratch,
                                    saliency_image.size() != 0);
    if (saliency_image.size() == 0) {
        saliency_image.set_size(feats[0].nr(), feats[0].nc());
        assign_all_pixels(saliency_image, 0);
    }
    return area;
}

}  // namespace fr_fhog
