#ifndef JPEG_ENCODER_H
#define JPEG_ENCODER_H
/*
 * Packed RGB24 pixels in, a baseline JPEG file out (libavcodec's mjpeg encoder, full-range
 * 4:2:0). The caller picks the quality; the bytes are malloc'd and the caller frees them.
 */
#include <stddef.h>
#include <stdint.h>

enum {
    JPEG_OK = 0,
    JPEG_ERR_ARGUMENT = 1,
    JPEG_ERR_ENCODER = 2,  /* the encoder is missing, refused the settings, or failed */
    JPEG_ERR_MEMORY = 3
};

/* `qscale` is the encoder's quantiser scale: 2 (best) to 31 (smallest). */
int jpeg_encode_rgb(const uint8_t *pixels, int width, int height, int stride, int qscale,
                    uint8_t **jpeg, size_t *jpeg_size, char *error, size_t error_size);

#endif
