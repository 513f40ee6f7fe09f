#ifndef FHOG_FILTER_CHECK_H
#define FHOG_FILTER_CHECK_H
/* Test-only: compares the shim's HOG filtering (fr_fhog) with dlib's own, bit for bit. Each
 * function returns how many outputs differ and adds the number compared to *compared. */
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every plane, pyramid level and detector of the face detector's scan of one gray image. */
long fhog_check_image(const uint8_t *gray, long width, long height, long stride, long *compared);

/* Random planes of every size from 1x1 to 24x40 (every tail length, planes smaller than the
 * filter), random taps, zeros and negatives in the data, written and added; and planes of zeros. */
long fhog_check_plane_sizes(unsigned seed, long *compared);

#ifdef __cplusplus
}
#endif
#endif
