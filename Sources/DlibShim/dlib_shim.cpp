#include "dlib_shim.h"
#include "fhog_filter.h"  // before any detection: dlib's scan must see the faster filtering

#include <dlib/dnn.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <map>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// The caller's buffer seen through dlib's generic image interface, so frames are never copied.
template <typename pixel> struct buffer_view {
    const uint8_t *pixels;
    long width, height, stride;
};
template <typename pixel> long num_rows(const buffer_view<pixel> &v) { return v.height; }
template <typename pixel> long num_columns(const buffer_view<pixel> &v) { return v.width; }
template <typename pixel> long width_step(const buffer_view<pixel> &v) { return v.stride; }
template <typename pixel> const void *image_data(const buffer_view<pixel> &v) { return v.pixels; }
using rgb_buffer_view = buffer_view<dlib::rgb_pixel>;
using gray_buffer_view = buffer_view<unsigned char>;

}  // namespace

namespace dlib {
template <typename pixel> struct image_traits<buffer_view<pixel>> { typedef pixel pixel_type; };
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
    frontal_face_detector detector;
    frontal_face_detector largest_levels;  // the same detector limited to the pyramid's 2 largest levels
};

namespace {

// dlib builds its HOG face detector by decompressing a model embedded in the library, which costs
// more CPU than reading both model files; a saved copy (fr_detector_serialize) loads almost at once.
// The same detector scanning only the `levels` largest levels of its pyramid.
frontal_face_detector limited_to(const frontal_face_detector &detector, unsigned long levels) {
    frontal_face_detector::image_scanner_type scanner;
    scanner.copy_configuration(detector.get_scanner());
    scanner.set_max_pyramid_levels(levels);
    std::vector<frontal_face_detector::feature_vector_type> weights;
    for (unsigned long i = 0; i < detector.num_detectors(); i++) weights.push_back(detector.get_w(i));
    return frontal_face_detector(scanner, detector.get_overlap_tester(), weights);
}

void load_detectors(fr_models *models, const char *saved) {
    if (saved)
        deserialize(saved) >> models->detector;
    else
        models->detector = get_frontal_face_detector();
    models->largest_levels = limited_to(models->detector, 2);
}

}  // namespace

struct fr_worker {
    const fr_models *models;
    frontal_face_detector detector;        // copies: detecting writes scratch state in the scanner
    frontal_face_detector largest_levels;
    std::map<int, frontal_face_detector> limited;  // by number of levels, made when first asked for
    descriptor_network network;  // a copy: running the network writes its layer outputs
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

namespace {

struct load_failure {
    int status;
    std::string message;
};

// Runs `load`; an exception becomes `status` and a message naming `source`.
template <typename loader>
std::optional<load_failure> attempt(loader &&load, const char *source, int status) {
    try {
        load();
        return std::nullopt;
    } catch (const std::exception &e) {
        return load_failure{status, std::string(source) + ": " + e.what()};
    }
}

}  // namespace

extern "C" int fr_models_load(const char *shape_predictor_path, const char *descriptor_network_path,
                              const char *detector_path, fr_models **out, char *error, size_t error_size) {
    if (!shape_predictor_path || !descriptor_network_path || !out)
        return fail(FR_ERR_ARGUMENT, error, error_size, "null argument");
    *out = nullptr;
    fr_models *models = new (std::nothrow) fr_models;
    if (!models) return fail(FR_ERR_INTERNAL, error, error_size, "out of memory");
    std::optional<load_failure> failure;
    try {
        // The three parts side by side (a thread each when one can be had; the network on this one).
        const auto policy = std::launch::async | std::launch::deferred;
        auto landmarks = std::async(policy, [&] {
            return attempt([&] { deserialize(shape_predictor_path) >> models->landmarks; }, shape_predictor_path, FR_ERR_MODEL);
        });
        auto detectors = std::async(policy, [&] {
            return attempt([&] { load_detectors(models, detector_path); },
                           detector_path ? detector_path : "dlib's built-in face detector",
                           detector_path ? FR_ERR_DETECTOR : FR_ERR_MODEL);
        });
        const auto network = attempt([&] { deserialize(descriptor_network_path) >> models->network; },
                                     descriptor_network_path, FR_ERR_MODEL);
        // A model file's failure first: a saved detector's alone leaves the caller free to retry without it.
        failure = landmarks.get();
        if (!failure) failure = network;
        const auto detector = detectors.get();
        if (!failure) failure = detector;
    } catch (const std::exception &e) {
        failure = load_failure{FR_ERR_INTERNAL, e.what()};
    }
    if (!failure && models->landmarks.num_parts() != 5)
        failure = load_failure{FR_ERR_MODEL, std::string(shape_predictor_path) + ": does not give 5 landmarks"};
    if (failure) {
        delete models;
        return fail(failure->status, error, error_size, failure->message.c_str());
    }
    *out = models;
    return FR_OK;
}

extern "C" int fr_detector_serialize(uint8_t **bytes, size_t *count, char *error, size_t error_size) {
    if (!bytes || !count) return fail(FR_ERR_ARGUMENT, error, error_size, "null argument");
    try {
        std::ostringstream out;
        serialize(get_frontal_face_detector(), out);
        const std::string data = out.str();
        *bytes = static_cast<uint8_t *>(std::malloc(data.size()));
        if (!*bytes) return fail(FR_ERR_INTERNAL, error, error_size, "out of memory");
        std::memcpy(*bytes, data.data(), data.size());
        *count = data.size();
        return FR_OK;
    } catch (const std::exception &e) {
        return fail(FR_ERR_INTERNAL, error, error_size, e.what());
    }
}

extern "C" void fr_models_free(fr_models *models) { delete models; }

extern "C" int fr_worker_create(const fr_models *models, fr_worker **out, char *error, size_t error_size) {
    if (!models || !out) return fail(FR_ERR_ARGUMENT, error, error_size, "null argument");
    *out = nullptr;
    try {
        fr_worker *worker = new fr_worker;
        worker->models = models;
        worker->detector = models->detector;
        worker->largest_levels = models->largest_levels;
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
// The worker's detector for `levels` (see fr_detect). Never largest_levels: detect_split runs that
// one on this thread while the other thread runs what this returns.
frontal_face_detector &detector_for(fr_worker *worker, int levels) {
    if (levels <= 0) return worker->detector;
    auto found = worker->limited.find(levels);
    if (found == worker->limited.end())
        found = worker->limited.emplace(levels, limited_to(worker->models->detector, levels)).first;
    return found->second;
}

template <typename image_type>
void detect_split(fr_worker *worker, const image_type &image, int levels, std::vector<rect_detection> &found) {
    std::vector<rect_detection> small_levels;
    frontal_face_detector &rest = detector_for(worker, levels > 0 ? levels - 2 : 0);
    std::exception_ptr failure;
    std::thread other([&] {
        try {
            typedef typename image_traits<image_type>::pixel_type pixel_type;
            array2d<pixel_type> halved, quartered;
            pyramid_down<6> down;
            down(image, halved);
            down(halved, quartered);
            rest(quartered, small_levels);
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
void detect(fr_worker *worker, const image_type &image, int levels, int threads, std::vector<rect_detection> &found) {
    if (threads > 1 && (levels <= 0 || levels > 2)) detect_split(worker, image, levels, found);
    else detector_for(worker, levels)(image, found);
}

// Detection on the image as given, or doubled first, with the boxes in the given image's coordinates.
template <typename view_type>
void detect_at_scale(fr_worker *worker, const view_type &view, int upsample, int levels, int threads,
                     std::vector<rect_detection> &found) {
    if (!upsample) return detect(worker, view, levels, threads, found);
    array2d<typename image_traits<view_type>::pixel_type> doubled;
    pyramid_up(view, doubled, pyramid_down<2>());
    detect(worker, doubled, levels, threads, found);
    for (auto &d : found)
        d.rect = rectangle(d.rect.left() / 2, d.rect.top() / 2, d.rect.right() / 2, d.rect.bottom() / 2);
}

bool valid(const fr_image &image, bool need_rgb) {
    return image.pixels && image.width > 0 && image.height > 0 && (image.channels == 3 || (image.channels == 1 && !need_rgb)) &&
           image.stride >= image.width * image.channels;
}

}  // namespace

extern "C" int fr_detect(fr_worker *worker, fr_image image, int upsample, int levels, int threads, fr_rect *faces,
                         int capacity, int *count, char *error, size_t error_size) {
    if (!worker || !count || !valid(image, false) || (capacity > 0 && !faces))
        return fail(FR_ERR_ARGUMENT, error, error_size, "invalid image or output buffer");
    try {
        std::vector<rect_detection> found;
        if (image.channels == 1)
            detect_at_scale(worker, gray_buffer_view{image.pixels, image.width, image.height, image.stride}, upsample, levels, threads, found);
        else
            detect_at_scale(worker, rgb_buffer_view{image.pixels, image.width, image.height, image.stride}, upsample, levels, threads, found);
        *count = static_cast<int>(found.size());
        for (int i = 0; i < *count && i < capacity; i++) {
            const rectangle &r = found[i].rect;
            faces[i] = fr_rect{r.left(), r.top(), r.right(), r.bottom(), found[i].detection_confidence};
        }
        return FR_OK;
    } catch (const std::exception &e) {
        return fail(FR_ERR_INTERNAL, error, error_size, e.what());
    }
}

extern "C" int fr_describe(fr_worker *worker, fr_image image, const fr_rect *faces, int count,
                           double *descriptors, char *error, size_t error_size) {
    if (!worker || !valid(image, true) || count < 0 || (count > 0 && (!faces || !descriptors)))
        return fail(FR_ERR_ARGUMENT, error, error_size, "invalid RGB image or face list");
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
