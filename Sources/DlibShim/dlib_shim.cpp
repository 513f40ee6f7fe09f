#include "dlib_shim.h"
#include <dlib/image_processing/frontal_face_detector.h>
int fr_placeholder(void) { return 0; }
