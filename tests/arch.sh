#!/bin/sh
# Keeps the pipeline's layering: each library header is included by one
# stage only, and no stage reaches into another stage's folder.
cd "$(dirname "$0")/.." || exit 2
bad=0
only() { # HEADER FOLDER
	hits=$(grep -rl "#include <$1>" src | grep -v "^src/$2/" || true)
	if [ -n "$hits" ]; then echo "$1 included outside src/$2/: $hits"; bad=1; fi
}
only hpdf.h emit
only yaml.h load
only cmark.h compose
only hyphen.h typeset
# libharu's object layer and its structures: src/emit/haru.c only.
hits=$(grep -rlE 'hpdf_(objects|doc|pages|streams)\.h|HPDF_(Dict|Array|Xref|Stream|MemStream)_|->(mmgr|xref|attr|filter|write_fn|trailer)\b' src |
	grep -v '^src/emit/haru\.c$' || true)
if [ -n "$hits" ]; then echo "libharu's internals used outside src/emit/haru.c: $hits"; bad=1; fi
for stage in load check compose typeset emit; do
	for other in load check compose typeset emit; do
		[ "$stage" = "$other" ] && continue
		hits=$(grep -l "\.\./$other/" src/$stage/*.c src/$stage/*.h 2>/dev/null || true)
		if [ -n "$hits" ]; then echo "src/$stage reaches into src/$other: $hits"; bad=1; fi
	done
done
exit $bad
