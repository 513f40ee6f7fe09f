#include "fhog_filter_check.h"

// The shim's header, by path: it is internal to the DlibShim target, not part of its C interface.
#include "../../Sources/DlibShim/fhog_filter.h"

#include <dlib/image_processing/frontal_face_detector.h>

#include <cstring>
#include <random>

using namespace dlib;

namespace {

using scanner = scan_fhog_pyramid<pyramid_down<6>>;

// Outputs of two planes that differ in any bit (sizes and areas must agree first).
long differing(const array2d<float> &expected, const rectangle &expected_area, const array2d<float> &actual,
               const rectangle &actual_area, long *compared) {
    if (expected.nr() != actual.nr() || expected.nc() != actual.nc() || expected_area != actual_area)
        return std::max(1L, static_cast<long>(expected.size()));
    long count = 0;
    for (long r = 0; r < expected.nr(); ++r)
        for (long c = 0; c < expected.nc(); ++c)
            count += std::memcmp(&expected[r][c], &actual[r][c], sizeof(float)) != 0;
    *compared += static_cast<long>(expected.size());
    return count;
}

// dlib's own way through a filter bank, with its own float_spatially_filter_image_separable.
rectangle dlib_saliency(const scanner::fhog_filterbank &w, const array<array2d<float>> &feats, array2d<float> &out) {
    rectangle area;
    array2d<float> scratch;
    out.clear();
    for (unsigned long i = 0; i < w.row_filters.size(); ++i)
        for (unsigned long j = 0; j < w.row_filters[i].size(); ++j)
            area = float_spatially_filter_image_separable(feats[i], out, w.row_filters[i][j], w.col_filters[i][j],
                                                          scratch, out.size() != 0);
    return area;
}

}  // namespace

extern "C" long fhog_check_image(const uint8_t *gray, long width, long height, long stride, long *compared) {
    static const frontal_face_detector detector = get_frontal_face_detector();
    const scanner &scan = detector.get_scanner();
    array<array<array2d<float>>> levels;
    array2d<unsigned char> image(height, width);
    for (long r = 0; r < height; ++r) std::memcpy(&image[r][0], gray + r * stride, size_t(width));
    impl::create_fhog_pyramid<pyramid_down<6>>(image, default_fhog_feature_extractor(),
                                               levels, scan.get_cell_size(), scan.get_fhog_window_height(),
                                               scan.get_fhog_window_width(), scan.get_min_pyramid_layer_width(),
                                               scan.get_min_pyramid_layer_height(), scan.get_max_pyramid_levels());
    long mismatches = 0;
    for (unsigned long d = 0; d < detector.num_detectors(); ++d) {
        const scanner::fhog_filterbank bank = scan.build_fhog_filterbank(detector.get_w(d));
        for (unsigned long l = 0; l < levels.size(); ++l) {
            array2d<float> expected, actual;
            const rectangle expected_area = dlib_saliency(bank, levels[l], expected);
            const rectangle actual_area = impl::apply_filters_to_fhog(bank, levels[l], actual);
            mismatches += differing(expected, expected_area, actual, actual_area, compared);
        }
    }
    return mismatches;
}

extern "C" long fhog_check_plane_sizes(unsigned seed, long *compared) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> value(-1, 1);
    auto fill = [&](array2d<float> &plane) {
        for (long r = 0; r < plane.nr(); ++r)
            for (long c = 0; c < plane.nc(); ++c) plane[r][c] = random() % 4 == 0 ? 0.0f : value(random);
    };
    long mismatches = 0;
    std::vector<float> scratch;
    array2d<float> dlib_scratch;
    for (long nr = 1; nr <= 24; ++nr)
        for (long nc = 1; nc <= 40; ++nc)
            for (int variant = 0; variant < 4; ++variant) {
                // Even variants write, odd ones add; the last two filter a plane of zeros with
                // negative row taps (every product -0, dlib's sums +0) and positive column taps.
                const bool add_to = variant % 2 == 1, zeros = variant >= 2;
                array2d<float> in(nr, nc), expected(nr, nc), actual(nr, nc);
                matrix<float, 0, 1> row_filter(10), col_filter(10);
                fill(in);
                if (zeros) assign_all_pixels(in, 0);
                fill(expected);
                for (long n = 0; n < 10; ++n) {
                    row_filter(n) = zeros ? -1 - value(random) : value(random);
                    col_filter(n) = zeros ? 1 + value(random) : value(random);
                }
                for (long r = 0; r < nr; ++r)
                    for (long c = 0; c < nc; ++c) actual[r][c] = expected[r][c];
                const rectangle expected_area =
                    float_spatially_filter_image_separable(in, expected, row_filter, col_filter, dlib_scratch, add_to);
                const rectangle actual_area = fr_fhog::filter_separable(in, actual, row_filter, col_filter, scratch, add_to);
                mismatches += differing(expected, expected_area, actual, actual_area, compared);
            }
    return mismatches;
}
