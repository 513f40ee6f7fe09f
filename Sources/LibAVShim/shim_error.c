#include "shim_error.h"

#include <libavutil/error.h>

#include <stdio.h>

int shim_fail(int status, char *error, size_t error_size, const char *what, int av_status) {
    if (error && error_size) {
        if (av_status < 0) {
            char reason[AV_ERROR_MAX_STRING_SIZE] = {0};
            av_strerror(av_status, reason, sizeof reason);
            snprintf(error, error_size, "%s: %s", what, reason);
        } else {
            snprintf(error, error_size, "%s", what);
        }
    }
    return status;
}
