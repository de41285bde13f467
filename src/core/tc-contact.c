/* tc-contact.c: being written. */
#include "config.h"
