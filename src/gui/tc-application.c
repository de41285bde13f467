/* tc-application.c: being written. */
#include "config.h"
