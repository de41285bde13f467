/* tc-csv.c: being written. */
#include "config.h"
