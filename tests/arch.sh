#!/bin/sh
# Keeps the layering of src/ (README, "Building, installing, developing"):
#
#   - each library's header is included by one module only;
#   - libharu's object layer and structures are used in src/emit/haru.c
#     only;
#   - no folder reaches into another folder;
#   - the files at the root are the nouns that pass between stages and
#     the command line: only main.c and run.c include a folder's header;
#   - base/ knows nothing about briefings: it includes nothing outside it.
#
# Prints every breach and exits 1 when there is one.
cd "$(dirname "$0")/.." || exit 2
bad=0
fail() {
	echo "$1"
	bad=1
}
only() { # HEADER FOLDER
	hits=$(grep -rl "#include <$1>" src | grep -v "^src/$2/" || true)
	[ -z "$hits" ] || fail "$1 included outside src/$2/: $hits"
}
only hpdf.h emit
only yaml.h load
only cmark-gfm.h compose
only cmark-gfm-core-extensions.h compose
only hyphen.h typeset
# The inputs' digest, the hyphenation patterns' (typeset/hyphen*.c) and
# the editions' fingerprints.
only xxhash.h '\(inputs\|typeset\|edition\)'
only hb.h emit
only fribidi.h typeset
only fontconfig/fontconfig.h load
only png.h load
only jpeglib.h load
# OpenSSL only in the signing plugin (src/sign/sign_openssl.c).
hits=$(grep -rl "#include <openssl/" src | grep -v '^src/sign/sign_openssl\.c$' || true)
[ -z "$hits" ] || fail "OpenSSL included outside src/sign/sign_openssl.c: $hits"

hits=$(grep -rlE 'hpdf_(objects|doc|pages|streams)\.h|HPDF_(Dict|Array|Xref|Stream|MemStream)_|->(mmgr|xref|attr|filter|write_fn|trailer)\b' src |
	grep -v '^src/emit/haru\.c$' || true)
[ -z "$hits" ] || fail "libharu's internals used outside src/emit/haru.c: $hits"

folders="load check compose typeset emit edition inputs watch sign"
pattern=$(echo "$folders" | tr ' ' '|')
for folder in $folders base; do
	for f in src/"$folder"/*.c src/"$folder"/*.h; do
		[ -e "$f" ] || continue
		hits=$(grep -nE "#include \"\.\./($pattern)/" "$f" || true)
		[ -z "$hits" ] || fail "$f reaches into another folder: $hits"
	done
done
for f in src/*.c src/*.h; do
	case $f in src/main.c | src/run.c) continue ;; esac
	hits=$(grep -nE "#include \"($pattern)/" "$f" || true)
	[ -z "$hits" ] || fail "$f, a noun at the root, includes a folder's header: $hits"
done
hits=$(grep -nE '#include "\.\./' src/base/*.c src/base/*.h || true)
[ -z "$hits" ] || fail "src/base/ includes outside itself: $hits"
exit $bad
