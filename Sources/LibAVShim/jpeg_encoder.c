#include "jpeg_encoder.h"
#include "shim_error.h"

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* RGB24 into the frame's full-range YUV 4:2:0 planes. */
static int convert(const uint8_t *pixels, int stride, AVFrame *frame) {
    struct SwsContext *scaler = sws_getContext(frame->width, frame->height, AV_PIX_FMT_RGB24,
                                               frame->width, frame->height, AV_PIX_FMT_YUV420P,
                                               SWS_BICUBIC, NULL, NULL, NULL);
    if (!scaler) return -1;
    const int *bt601 = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(scaler, bt601, 1, bt601, 1, 0, 1 << 16, 1 << 16);
    const uint8_t *source[4] = {pixels, NULL, NULL, NULL};
    const int strides[4] = {stride, 0, 0, 0};
    int rows = sws_scale(scaler, source, strides, 0, frame->height, frame->data, frame->linesize);
    sws_freeContext(scaler);
    return rows == frame->height ? 0 : -1;
}

int jpeg_encode_rgb(const uint8_t *pixels, int width, int height, int stride, int qscale,
                    uint8_t **jpeg, size_t *jpeg_size, char *error, size_t error_size) {
    if (!pixels || !jpeg || !jpeg_size || width <= 0 || height <= 0 || stride < 3 * width || qscale < 2 || qscale > 31)
        return shim_fail(JPEG_ERR_ARGUMENT, error, error_size, "bad arguments", 0);
    *jpeg = NULL;
    *jpeg_size = 0;
    const AVCodec *encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!encoder) return shim_fail(JPEG_ERR_ENCODER, error, error_size, "libavcodec has no mjpeg encoder", 0);

    int status = JPEG_ERR_MEMORY;
    AVCodecContext *codec = avcodec_alloc_context3(encoder);
    AVFrame *frame = av_frame_alloc();
    AVPacket *packet = av_packet_alloc();
    if (!codec || !frame || !packet) {
        shim_fail(status, error, error_size, "out of memory", 0);
        goto done;
    }
    codec->width = width;
    codec->height = height;
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->color_range = AVCOL_RANGE_JPEG;  /* what JPEG viewers assume */
    codec->time_base = (AVRational){1, 1};
    codec->flags |= AV_CODEC_FLAG_QSCALE;
    codec->global_quality = FF_QP2LAMBDA * qscale;
    int av_status = avcodec_open2(codec, encoder, NULL);
    if (av_status < 0) {
        status = shim_fail(JPEG_ERR_ENCODER, error, error_size, "cannot open the mjpeg encoder", av_status);
        goto done;
    }
    frame->width = width;
    frame->height = height;
    frame->format = AV_PIX_FMT_YUV420P;
    frame->color_range = AVCOL_RANGE_JPEG;
    frame->quality = codec->global_quality;
    frame->pts = 0;
    if ((av_status = av_frame_get_buffer(frame, 0)) < 0) {
        shim_fail(status, error, error_size, "out of memory", av_status);
        goto done;
    }
    if (convert(pixels, stride, frame) != 0) {
        status = shim_fail(JPEG_ERR_ENCODER, error, error_size, "cannot convert RGB to YUV", 0);
        goto done;
    }
    if ((av_status = avcodec_send_frame(codec, frame)) < 0 || (av_status = avcodec_receive_packet(codec, packet)) < 0) {
        status = shim_fail(JPEG_ERR_ENCODER, error, error_size, "the mjpeg encoder failed", av_status);
        goto done;
    }
    *jpeg = malloc((size_t)packet->size);
    if (!*jpeg) {
        shim_fail(status, error, error_size, "out of memory", 0);
        goto done;
    }
    memcpy(*jpeg, packet->data, (size_t)packet->size);
    *jpeg_size = (size_t)packet->size;
    status = JPEG_OK;
done:
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    return status;
}
