#ifndef FHOG_FILTER_H
#define FHOG_FILTER_H
// The HOG face detector's hot loop, replaced: dlib filters each of the 31 fhog planes of every
// pyramid level with each detector's separable 10x10 filters, and that filtering is half of all
// detection time. fr_fhog does the same arithmetic, operation for operation (so saliency and
// detections are bit-identical), about twice as fast. Included by dlib_shim.cpp ahead of any
// detection, so dlib's scan uses the specialisation declared below.
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

}  // namespace fr_fhog

namespace dlib {
namespace impl {
// Every plane and separable component through fr_fhog::filter_separable, in dlib's order.
template <>
rectangle apply_filters_to_fhog<fr_fhog::filterbank>(const fr_fhog::filterbank &w,
                                                     const array<array2d<float>> &feats,
                                                     array2d<float> &saliency_image);
}  // namespace impl
}  // namespace dlib

#endif
