/* tc-contact-list-model.c: being written. */
#include "config.h"
