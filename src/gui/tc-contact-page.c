/* tc-contact-page.c: being written. */
#include "config.h"
