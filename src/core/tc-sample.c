/* tc-sample.c: being written. */
#include "config.h"
