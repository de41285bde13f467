/* tc-consent.c: being written. */
#include "config.h"
