/*
 * briefing init DIR: a new briefing to start from, that builds as it
 * stands.  A commented fact file, its commentary, a folder for the
 * archived copies of the articles and a Makefile that rebuilds the PDF
 * when an input changed (-M, --if-changed).  Nothing that exists is
 * touched: one file in the way and nothing is written.
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/diag.h"

static const char facts_yaml[] =
    "# A briefing's facts: every statement names its sources, and every\n"
    "# quote is checked against the archived copy of its article\n"
    "# (archive/).  \"briefing check facts.yaml --archive-dir archive\"\n"
    "# reports every mistake at its line; README documents each key.\n"
    "briefing:\n"
    "  title: A new briefing\n"
    "  as_of: 2025-01-01T12:00:00Z   # when the facts were last checked\n"
    "  edition: 1                    # raise it to list what changed\n"
    "  classification: UNCLASSIFIED\n"
    "  prepared_by: Analysis desk\n"
    "  summary: summary.md           # the key points, in Markdown\n"
    "  commentary:\n"
    "    context: context.md         # commentary before the timeline\n"
    "parties:\n"
    "  - id: first\n"
    "    name: First party\n"
    "  - id: second\n"
    "    name: Second party\n"
    "sources:\n"
    "  # State every key, null where the article does not say.\n"
    "  - id: report\n"
    "    outlet: Example Outlet\n"
    "    author: null\n"
    "    title: An example report\n"
    "    date: 2025-01-01\n"
    "    url: null\n"
    "    archive: report.txt         # under archive/: its text, "
    "copied\n"
    "timeline:\n"
    "  - date: 2025-01-01\n"
    "    text: The two parties spoke by phone.\n"
    "    sources: [report]\n"
    "calls:\n"
    "  - id: first-call\n"
    "    kind: phone call\n"
    "    date: 2025-01-01\n"
    "    participants: [first, second]\n"
    "    readouts:\n"
    "      - party: first\n"
    "        issuer: First party's office\n"
    "        points:\n"
    "          - text: The call was described as constructive.\n"
    "            quote: constructive\n"
    "            sources: [{id: report, locator: para. 2}]\n"
    "preconditions:\n"
    "  - party: second\n"
    "    demand: Talks resume within a week.\n"
    "    status: stated\n"
    "    sources: [report]\n"
    "breaches: []\n";

static const char summary_md[] =
    "The two parties spoke by phone on 1 January 2025 [@report].\n";

static const char context_md[] =
    "Commentary is Markdown. A citation such as `[@report, para. 2]` "
    "becomes a footnote: officials described the call as constructive "
    "[@report, para. 2].\n";

static const char archive_txt[] =
    "An example report\n"
    "\n"
    "The call between the two parties was constructive, officials "
    "said.\n";

static const char makefile[] =
    "# make builds briefing.pdf when an input changed; make check checks\n"
    "# the facts and the quotes against archive/.\n"
    "BRIEFING ?= briefing\n"
    "\n"
    "briefing.pdf: facts.yaml\n"
    "\t$(BRIEFING) build facts.yaml -o briefing.pdf --archive-dir archive "
    "\\\n"
    "\t\t-M briefing.d --if-changed\n"
    "\n"
    "check:\n"
    "\t$(BRIEFING) check facts.yaml --archive-dir archive\n"
    "\n"
    "-include briefing.d\n"
    "\n"
    ".PHONY: check\n";

static const struct {
	const char *name, *text;
} files[] = {
    {"facts.yaml", facts_yaml}, {"summary.md", summary_md},
    {"context.md", context_md}, {"archive/report.txt", archive_txt},
    {"Makefile", makefile},
};

bool
init_briefing(struct arena *a, struct diag *d, const char *dir)
{
	const size_t n = sizeof files / sizeof files[0];
	bool ok = true;
	/* Every file in the way is named before anything is written. */
	for (size_t i = 0; i < n; i++) {
		const char *path = arena_printf(a, "%s/%s", dir, files[i].name);
		struct stat st;
		if (lstat(path, &st) == 0) {
			diag_error(d, (struct loc){path, 0, 0},
			           "already exists; briefing init writes only "
			           "into a new or empty directory");
			ok = false;
		}
	}
	if (!ok)
		return false;
	const char *dirs[] = {dir, arena_printf(a, "%s/archive", dir)};
	for (size_t i = 0; i < 2; i++)
		if (mkdir(dirs[i], 0777) != 0 && errno != EEXIST) {
			diag_system(d, "cannot create \"%s\": %s", dirs[i],
			            strerror(errno));
			return false;
		}
	for (size_t i = 0; i < n; i++) {
		const char *path = arena_printf(a, "%s/%s", dir, files[i].name);
		int fd =
		    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		size_t len = strlen(files[i].text);
		if (fd < 0 || write(fd, files[i].text, len) != (ssize_t)len ||
		    close(fd) != 0) {
			diag_system(d, "cannot write \"%s\": %s", path,
			            strerror(errno));
			return false;
		}
	}
	return true;
}
