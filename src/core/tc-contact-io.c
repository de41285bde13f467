/* tc-contact-io.c: being written. */
#include "config.h"
