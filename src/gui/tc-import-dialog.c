/* tc-import-dialog.c: being written. */
#include "config.h"
