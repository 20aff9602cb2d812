/*
 * ingest_init: what the ingest stage sets up once per process. See
 * ingest.h.
 */
#include <stdlib.h>

#include <libxml/xmlmemory.h>

#include "core/xmalloc.h"
#include "ingest/ingest.h"

void
ingest_init(void)
{
	/* NOTE: fails only on a NULL function. */
	(void)xmlMemSetup(free, xmalloc, xrealloc, xstrdup);
}
