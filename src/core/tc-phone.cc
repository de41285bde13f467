/* tc-phone.cc: being written. */
#include "config.h"
