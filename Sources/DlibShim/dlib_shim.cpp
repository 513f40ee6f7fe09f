#include "dlib_shim.h"

#include <dlib/dnn.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <thread>
#include <vector>

namespace {

// The caller's RGB buffer seen through dlib's generic image interface, so frames are never copied.
struct rgb_buffer_view {
    const uint8_t *pixels;
    long width, height, stride;
};
long num_rows(const rgb_buffer_view &v) { return v.height; }
long num_columns(const rgb_buffer_view &v) { return v.width; }
long width_step(const rgb_buffer_view &v) { return v.stride; }
const void *image_data(const rgb_buffer_view &v) { return v.pixels; }

}  // namespace

namespace dlib {
template <> struct image_traits<rgb_buffer_view> { typedef rgb_pixel pixel_type; };
}  // namespace dlib

namespace {

using namespace dlib;

// The architecture of dlib_face_recognition_resnet_model_v1.dat (a ResNet-29 variant); it must
// match the serialized network exactly or deserialisation fails.
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;
template <int N, template <typename> class BN, int stride, typename SUBNET>
using conv_block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;
template <int N, typename SUBNET> using ares = relu<residual<conv_block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<conv_block, N, affine, SUBNET>>;
template <typename SUBNET> using level0 = ares_down<256, SUBNET>;
template <typename SUBNET> using level1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using level2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using level3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using level4 = ares<32, ares<32, ares<32, SUBNET>>>;
using descriptor_network = loss_metric<fc_no_bias<128, avg_pool_everything<
    level0<level1<level2<level3<level4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

constexpr unsigned long chip_size = 150;
constexpr double chip_padding = 0.25;

int fail(int status, char *error, size_t error_size, const char *what) {
    if (error && error_size) std::snprintf(error, error_size, "%s", what);
    return status;
}

rectangle to_dlib(const fr_rect &r) { return rectangle(r.left, r.top, r.right, r.bottom); }

}  // namespace

struct fr_models {
    shape_predictor landmarks;
    descriptor_network network;
};

struct fr_worker {
    const fr_models *models;
    frontal_face_detector detector;
    frontal_face_detector largest_levels;  // the same detector limited to the pyramid's 2 largest levels
    array2d<rgb_pixel> halved, quartered;    // the image two pyramid levels down, for the other thread
    descriptor_network network;  // a copy: running the network writes its layer outputs
    array2d<rgb_pixel> upsampled;
    std::vector<matrix<rgb_pixel>> chips;
};

extern "C" int fr_set_blas_threads(int threads) {
    // Looked up at run time: libblas.so.3 is whichever BLAS Debian's alternatives select.
    using setter = void (*)(int);
    auto set = reinterpret_cast<setter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!set) return 0;
    set(threads);
    return 1;
}

extern "C" int fr_models_load(const char *shape_predictor_path, const char *descriptor_network_path,
                              fr_models **out, char *error, size_t error_size) {
    if (!shape_predictor_path || !descriptor_network_path || !out)
        return fail(FR_ERR_ARGUMENT, error, error_size, "null argument");
    *out = nullptr;
    fr_models *models = new (std::nothrow) fr_models;
    if (!models) return fail(FR_ERR_INTERNAL, error, error_size, "out of memory");
    const char *current = shape_predictor_path;
    try {
        deserialize(shape_predictor_path) >> models->landmarks;
        current = descriptor_network_path;
        deserialize(descriptor_network_path) >> models->network;
    } catch (const std::exception &e) {
        delete models;
        char message[1024];
        std::snprintf(message, sizeof message, "%s: %s", current, e.what());
        return fail(FR_ERR_MODEL, error, error_size, message);
    }
    if (models->landmarks.num_parts() != 5) {
        delete models;
        return fail(FR_ERR_MODEL, error, error_size, "the shape predictor does not give 5 landmarks");
    }
    *out = models;
    return FR_OK;
}

extern "C" void fr_models_free(fr_models *models) { delete models; }

extern "C" int fr_worker_create(const fr_models *models, fr_worker **out, char *error, size_t error_size) {
    if (!models || !out) return fail(FR_ERR_ARGUMENT, error, error_size, "null argument");
    *out = nullptr;
    try {
        fr_worker *worker = new fr_worker;
        worker->models = models;
        worker->detector = get_frontal_face_detector();
        frontal_face_detector::image_scanner_type scanner;
        scanner.copy_configuration(worker->detector.get_scanner());
        scanner.set_max_pyramid_levels(2);
        std::vector<frontal_face_detector::feature_vector_type> weights;
        for (unsigned long i = 0; i < worker->detector.num_detectors(); i++)
            weights.push_back(worker->detector.get_w(i));
        worker->largest_levels = frontal_face_detector(scanner, worker->detector.get_overlap_tester(), weights);
        worker->network = models->network;
        *out = worker;
        return FR_OK;
    } catch (const std::exception &e) {
        return fail(FR_ERR_INTERNAL, error, error_size, e.what());
    }
}

extern "C" void fr_worker_free(fr_worker *worker) { delete worker; }

namespace {

// HOG over an image pyramid whose levels shrink by 5/6: the two largest levels hold about half the
// work. With two threads, this thread scans those while another scans the image two levels down
// (the same pyramid from there on); the two lists then go through the detector's own non-maximum
// suppression, as one scan's would.
template <typename image_type>
void detect_split(fr_worker *worker, const image_type &image, std::vector<rect_detection> &found) {
    std::vector<rect_detection> small_levels;
    std::exception_ptr failure;
    std::thread other([&] {
        try {
            pyramid_down<6> down;
            down(image, worker->halved);
            down(worker->halved, worker->quartered);
            worker->detector(worker->quartered, small_levels);
            for (auto &d : small_levels) d.rect = down.rect_up(down.rect_up(d.rect));
        } catch (...) {
            failure = std::current_exception();
        }
    });
    std::vector<rect_detection> large_levels;
    try {
        worker->largest_levels(image, large_levels);
    } catch (...) {
        other.join();
        throw;
    }
    other.join();
    if (failure) std::rethrow_exception(failure);

    std::vector<rect_detection> all = large_levels;
    all.insert(all.end(), small_levels.begin(), small_levels.end());
    std::sort(all.rbegin(), all.rend());
    const test_box_overlap overlaps = worker->detector.get_overlap_tester();
    found.clear();
    for (const auto &candidate : all) {
        bool suppressed = std::any_of(found.begin(), found.end(),
                                      [&](const rect_detection &kept) { return overlaps(kept.rect, candidate.rect); });
        if (!suppressed) found.push_back(candidate);
    }
}

template <typename image_type>
void detect(fr_worker *worker, const image_type &image, int threads, std::vector<rect_detection> &found) {
    if (threads > 1) detect_split(worker, image, found);
    else worker->detector(image, found);
}

}  // namespace

extern "C" int fr_detect(fr_worker *worker, fr_image image, int upsample, int threads, fr_rect *faces,
                         int capacity, int *count, char *error, size_t error_size) {
    if (!worker || !image.pixels || !count || image.width <= 0 || image.height <= 0 ||
        image.stride < image.width * 3 || (capacity > 0 && !faces))
        return fail(FR_ERR_ARGUMENT, error, error_size, "invalid image or output buffer");
    try {
        const rgb_buffer_view view{image.pixels, image.width, image.height, image.stride};
        std::vector<rect_detection> found;
        if (upsample) {
            pyramid_up(view, worker->upsampled, pyramid_down<2>());
            detect(worker, worker->upsampled, threads, found);
        } else {
            detect(worker, view, threads, found);
        }
        *count = static_cast<int>(found.size());
        for (int i = 0; i < *count && i < capacity; i++) {
            rectangle r = found[i].rect;
            if (upsample) r = rectangle(r.left() / 2, r.top() / 2, r.right() / 2, r.bottom() / 2);
            faces[i] = fr_rect{r.left(), r.top(), r.right(), r.bottom(), found[i].detection_confidence};
        }
        return FR_OK;
    } catch (const std::exception &e) {
        return fail(FR_ERR_INTERNAL, error, error_size, e.what());
    }
}

extern "C" int fr_describe(fr_worker *worker, fr_image image, const fr_rect *faces, int count,
                           double *descriptors, char *error, size_t error_size) {
    if (!worker || !image.pixels || count < 0 || (count > 0 && (!faces || !descriptors)) ||
        image.width <= 0 || image.height <= 0 || image.stride < image.width * 3)
        return fail(FR_ERR_ARGUMENT, error, error_size, "invalid image or face list");
    if (count == 0) return FR_OK;
    try {
        const rgb_buffer_view view{image.pixels, image.width, image.height, image.stride};
        worker->chips.resize(count);
        for (int i = 0; i < count; i++) {
            full_object_detection shape = worker->models->landmarks(view, to_dlib(faces[i]));
            extract_image_chip(view, get_face_chip_details(shape, chip_size, chip_padding), worker->chips[i]);
        }
        std::vector<matrix<float, 0, 1>> out = worker->network(worker->chips, 16);
        for (int i = 0; i < count; i++)
            for (int k = 0; k < FR_DESCRIPTOR_SIZE; k++)
                descriptors[i * FR_DESCRIPTOR_SIZE + k] = out[i](k);
        return FR_OK;
    } catch (const std::exception &e) {
        return fail(FR_ERR_INTERNAL, error, error_size, e.what());
    }
}
