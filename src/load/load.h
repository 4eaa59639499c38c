/*
 * Load stage: YAML fact file and template to typed structs.  Used by
 * main.c only.  The only stage that includes yaml.h.
 */
#ifndef BRIEFING_LOAD_H
#define BRIEFING_LOAD_H

#include <stdbool.h>

struct job;
struct model;
struct tmpl;

/*
 * Reads the fact file at path and the Markdown files it names into model
 * (all memory in job->arena).  Reports every problem it can find; returns
 * false if any was an error.
 */
bool load_facts(struct job *, const char *path, struct model *);

/*
 * Reads a template: name is a bundled template's name ("a4", "letter") or
 * a path to a YAML file.  Font files are resolved as README describes.
 * Returns false after reporting.
 */
bool load_template(struct job *, const char *name, struct tmpl *);

struct recipients;
struct doc;

/*
 * Reads every image doc's figures show (doc->images, as compose named
 * them) and checks it can be embedded: a PNG is decoded, a JPEG's header
 * and end are read.  Reports each problem at the place the image is
 * named; returns false if any was an error.
 */
bool load_images(struct job *, struct doc *);

/*
 * Reads the recipients file of "build --copies" (format in recipients.h)
 * into out, all memory in job->arena.  Every recipient ends up with a
 * name and a file-name stem.  Reports every problem it finds; returns
 * false if any was an error.
 */
bool load_recipients(struct job *, const char *path, struct recipients *out);

#endif
