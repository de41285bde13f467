/* tc-repository.c: being written. */
#include "config.h"
