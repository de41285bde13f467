/* tc-window.c: being written. */
#include "config.h"
