/* tc-phone-zones.c: being written. */
#include "config.h"
