/* tc-contacts-page.c: being written. */
#include "config.h"
