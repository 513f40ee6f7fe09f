#ifndef LIBAV_SHIM_H
#define LIBAV_SHIM_H
/*
 * A plain C face of libavformat + libavcodec + libswscale for one job: open a video (a path or
 * the caller's reader), decode frames of its best video stream in order, seek, and convert the
 * current frame to packed RGB at any size. Opaque handle, status codes, error text in caller
 * buffers. Which frames to sample and when to stop is the caller's business.
 */
#include <stddef.h>
#include <stdint.h>

enum {
    LAV_OK = 0,
    LAV_END = 1,           /* no more frames */
    LAV_ERR_OPEN = 2,      /* not a container libavformat can open */
    LAV_ERR_NO_VIDEO = 3,  /* opened, but holds no decodable video stream */
    LAV_ERR_DECODE = 4,    /* the stream is corrupt or truncated */
    LAV_ERR_ARGUMENT = 5,
    LAV_ERR_MEMORY = 6,
    LAV_ERR_CONTAINER = 8, /* a container libavformat opens, but not one of lav_limits.containers */
    LAV_ERR_TOO_LARGE = 9, /* the picture has more than lav_limits.max_pixels pixels */
    LAV_ERR_DEADLINE = 10  /* lav_limits.deadline passed during the call */
};

/* What an opened video may do. Nothing it holds may open another input (a playlist's segments, a
 * reference to an external file, a network stream): the only input is the path or the reader given. */
typedef struct {
    /* libavformat demuxer names, comma-separated: any other container is refused before its
     * header is read. The container is recognised from the bytes alone, never the file name. */
    const char *containers;
    /* Pictures above this many pixels are refused, and the decoder never allocates one. */
    int64_t max_pixels;
    /* CLOCK_MONOTONIC nanoseconds after which every call, and any read blocked inside libav, fails
     * with LAV_ERR_DEADLINE; UINT64_MAX: none. */
    uint64_t deadline;
} lav_limits;

typedef struct lav_video lav_video;

typedef struct {
    int width, height;              /* coded size, before rotation */
    int rotation;                   /* clockwise degrees to turn the pixels for display: 0, 90, 180, 270 */
    double duration_seconds;        /* < 0 when the container does not say */
    double frame_rate;              /* average, 0 when unknown */
    const char *container_name;
} lav_info;

int lav_open_file(const char *path, const lav_limits *limits, lav_video **out, char *error, size_t error_size);
/* Bytes the caller reads for libav (from memory, or an object store by ranges). */
typedef struct {
    /* Copies up to `size` bytes from `offset` into `buffer`; returns how many (0 only past the
     * end), or < 0 when they cannot be read (the caller keeps why). */
    int (*read)(void *context, int64_t offset, uint8_t *buffer, int size);
    void *context;
    int64_t size;   /* bytes in all, known up front: libav's AVSEEK_SIZE and the truncation check read it */
} lav_reader;

/* The reader (and its context) must outlive the handle. */
int lav_open_reader(const lav_reader *reader, const lav_limits *limits, lav_video **out, char *error, size_t error_size);
void lav_close(lav_video *video);

void lav_get_info(const lav_video *video, lav_info *info);

/* Which frames the decoder may skip: none, or all but key frames (cheap when the wanted frame is
 * a key frame, such as the first). */
enum { LAV_DECODE_ALL = 0, LAV_DECODE_KEYFRAMES = 2 };
void lav_set_frames_decoded(lav_video *video, int which);

/* Frames that no other frame refers to, and whose time is before `seconds`, are not decoded (they
 * could never be the frame wanted at `seconds` or later, nor help decode it); negative: decode them. */
void lav_skip_unreferenced_before(lav_video *video, double seconds);

/* Presentation time of the last key frame at or before `seconds` per the container's index;
 * < 0 when the container has no index. */
double lav_keyframe_before(const lav_video *video, double seconds);

/* Jump to the key frame at or before `seconds`; decoding continues from there. */
int lav_seek(lav_video *video, double seconds, char *error, size_t error_size);

/* Decode the next frame and keep it as the current one; its time (seconds from the stream's
 * start) in *seconds. LAV_END after the last frame. */
int lav_decode_next(lav_video *video, double *seconds, char *error, size_t error_size);


/* Scale and convert the current frame (unrotated) into packed RGB24 or 8-bit gray.
 * libswscale's SIMD code may write up to LAV_OUTPUT_SLACK bytes past the last row (seen with
 * valgrind): the buffer must have them to spare after stride x height. */
enum { LAV_PIXELS_RGB24 = 0, LAV_PIXELS_GRAY8 = 1, LAV_OUTPUT_SLACK = 64 };
int lav_current_frame(lav_video *video, int format, uint8_t *pixels, int width, int height, int stride,
                      char *error, size_t error_size);

#endif
