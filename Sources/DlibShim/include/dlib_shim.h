#ifndef DLIB_SHIM_H
#define DLIB_SHIM_H
/*
 * A plain C face of dlib's face pipeline: HOG frontal face detector, 5-point shape predictor,
 * ResNet 128-d face descriptor. Opaque handles, status codes, error text in caller buffers;
 * no C++ exception ever crosses this boundary.
 *
 * fr_models holds what is read from disk once per process and never changes.
 * fr_worker holds what dlib mutates while it runs (the detector's scan buffers, the network's
 * layer outputs): one per thread, each made cheaply from the shared models.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FR_OK = 0,
    FR_ERR_MODEL = 1,    /* a model file is missing, unreadable or not the expected network */
    FR_ERR_ARGUMENT = 2, /* a null pointer, an empty image, a capacity too small */
    FR_ERR_INTERNAL = 3, /* dlib threw (out of memory, ...) */
    FR_ERR_DETECTOR = 4  /* the saved face detector file is unreadable or not a saved detector */
};

enum { FR_DESCRIPTOR_SIZE = 128 };

typedef struct fr_models fr_models;
typedef struct fr_worker fr_worker;

/* A face box in pixel coordinates of the image it was found in; score is the HOG detector's. */
typedef struct {
    long left, top, right, bottom;
    double score;
} fr_rect;

/* An image the caller owns: packed 8-bit rows, `stride` bytes apart; channels 3 is RGB,
 * 1 is gray (detection only: HOG needs no colour). */
typedef struct {
    const uint8_t *pixels;
    long width, height, stride;
    int channels;
} fr_image;

/* Whether this CPU has the instructions the shim's dlib code is compiled for (AVX2, FMA).
 * Call it before anything else here: on a CPU without them the rest would crash. */
int fr_cpu_supported(void);

/* Threads OpenBLAS may use for one descriptor. Several workers running side by side each want 1;
 * a lone worker is fastest with several. Returns 0 when the BLAS in use is not OpenBLAS. */
int fr_set_blas_threads(int threads);

/* The shape predictor and descriptor network from their files, and the HOG face detector: from
 * detector_path when it is not NULL (a file of fr_detector_serialize's bytes: 3 ms), else dlib's
 * built-in one (decompressed: 0.27 s of CPU, on a second thread while the files load). */
int fr_models_load(const char *shape_predictor_path, const char *descriptor_network_path, const char *detector_path,
                   fr_models **out, char *error, size_t error_size);
void fr_models_free(fr_models *models);

/* dlib's built-in HOG face detector in dlib's serialization, for fr_models_load's detector_path.
 * *bytes is malloc'd; the caller frees it. */
int fr_detector_serialize(uint8_t **bytes, size_t *count, char *error, size_t error_size);

int fr_worker_create(const fr_models *models, fr_worker **out, char *error, size_t error_size);
void fr_worker_free(fr_worker *worker);

/* HOG detection. upsample = 1 doubles the image first (finds faces down to ~40 px; 4x the cost),
 * and the boxes come back in the coordinates of the image as given. levels > 0 scans only that
 * many of the pyramid's largest levels (each 5/6 of the one before: the smallest faces only);
 * 0 scans them all. threads = 2 splits the scan of the image pyramid between the calling thread
 * and one more (about half the wall time).
 * *count is the number found; when it exceeds capacity only the first `capacity` are written. */
int fr_detect(fr_worker *worker, fr_image image, int upsample, int levels, int threads,
              fr_rect *faces, int capacity, int *count, char *error, size_t error_size);

/* For each box (the image must be RGB): 5 landmarks, the aligned 150x150 chip (padding 0.25), and its descriptor,
 * written to descriptors[i * FR_DESCRIPTOR_SIZE ...]. */
int fr_describe(fr_worker *worker, fr_image image, const fr_rect *faces, int count,
                double *descriptors, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif
#endif
