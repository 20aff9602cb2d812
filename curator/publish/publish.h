/*
 * publish: the last stage of the pipeline; the one header of the stage
 * that commands include.
 *
 * NOTE: on this branch only the crosspost section exists, in its own
 * header until the deploy branch's publish.h lands (the coordinator folds
 * them into one).
 */
#ifndef CURATOR_PUBLISH_PUBLISH_H
#define CURATOR_PUBLISH_PUBLISH_H

/* ------------------------------------------------------------ crosspost */

#include "publish/crosspost.h"

#endif
