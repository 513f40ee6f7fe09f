#ifndef DLIB_SHIM_H
#define DLIB_SHIM_H
#ifdef __cplusplus
extern "C" {
#endif
int fr_placeholder(void);
#ifdef __cplusplus
}
#endif
#endif
