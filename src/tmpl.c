/*
 * Templates (tmpl.h): the names of the faces, as the template's "fonts"
 * mapping and every message spell them.
 */
#include "tmpl.h"

const char *const tmpl_face_names[FACE__MAX] = {
    [FACE_SERIF] = "serif",
    [FACE_SERIF_BOLD] = "serif_bold",
    [FACE_SERIF_ITALIC] = "serif_italic",
    [FACE_SANS] = "sans",
    [FACE_SANS_BOLD] = "sans_bold",
};
