#ifndef LIBAV_SHIM_H
#define LIBAV_SHIM_H
int lav_placeholder(void);
#endif
