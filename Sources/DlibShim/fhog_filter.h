#ifndef FHOG_FILTER_H
#define FHOG_FILTER_H
// The HOG face detector's hot loop, replaced: dlib filters each of the 31 fhog planes of every
// pyramid level with each detector's separable 10x10 filters, and that filtering is half of all
// detection time. fr_fhog does the same arithmetic, operation for operation (so saliency and
// detections are bit-identical), in less time (the README gives the measured gain). Included by dlib_shim.cpp ahead of any
// detection, so dlib's scan uses the specialisation below.
#include <dlib/image_processing/scan_fhog_pyramid.h>

#include <vector>

namespace fr_fhog {

using filterbank = dlib::scan_fhog_pyramid<dlib::pyramid_down<6>>::fhog_filterbank;

// What dlib::float_spatially_filter_image_separable(in, out, row, col, scratch, add_to) computes,
// to the bit: out (resized to in) gets, or adds, the filtered interior; the border is zeroed
// unless add_to; returns the interior.
dlib::rectangle filter_separable(const dlib::array2d<float> &in, dlib::array2d<float> &out,
                                 const dlib::matrix<float, 0, 1> &row_filter,
                                 const dlib::matrix<float, 0, 1> &col_filter, std::vector<float> &scratch,
                                 bool add_to);

// dlib's apply_filters_to_fhog with filter_separable in place of dlib's function: the same choice
// between full and separable filters, the same order of planes and components, the first one
// written and the rest added.
dlib::rectangle apply_filters(const filterbank &w, const dlib::array<dlib::array2d<float>> &feats,
                              dlib::array2d<float> &saliency_image);

}  // namespace fr_fhog

namespace dlib {
namespace impl {
// What dlib's scan calls for every pyramid level: this specialisation instead of the generic template.
template <>
inline rectangle apply_filters_to_fhog<fr_fhog::filterbank>(const fr_fhog::filterbank &w, const array<array2d<float>> &feats,
                                                            array2d<float> &saliency_image) {
    return fr_fhog::apply_filters(w, feats, saliency_image);
}
}  // namespace impl
}  // namespace dlib

#endif
