#ifndef SHIM_ERROR_H
#define SHIM_ERROR_H
/* The shim's one way to report a failure (internal: not part of the module's headers). */
#include <stddef.h>

/* Writes `what` (and libav's text for a negative `av_status`) into the caller's buffer; returns `status`. */
int shim_fail(int status, char *error, size_t error_size, const char *what, int av_status);

#endif
