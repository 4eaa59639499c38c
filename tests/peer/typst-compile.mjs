// Compiles a Typst file to PDF with the Typst compiler that
// @myriaddreamin/typst-ts-node-compiler embeds (tests/peer/package.json),
// timing each compile, for the benchmark (tests/peer/bench-typst.py).
//
//   node tests/peer/typst-compile.mjs IN.typ OUT.pdf [RUNS] [--json]
//        [--system-fonts] [--pdf-standard STD] [--no-version]
//
// Every run is a fresh compile: Typst's global memoization cache is
// emptied (evictCache(0)) and a new compiler is made, which finds the
// fonts again, so no run reuses the layout, the shaping or the fonts of
// the one before.  The first run is also the first in this process (the
// native module's first use): it is reported apart as the cold run.
// Each run is timed in three parts: making the compiler (the font
// search), compiling (parsing, evaluation, layout) and writing the PDF
// (export, written to OUT.pdf).
//
// Fonts: the folders in TYPST_FONT_PATHS (separated by ":", as for the
// Typst CLI), else the fonts/ folder beside IN.typ (tests/peer/typst.py
// fills it with links to the template's font files).  The installed
// fonts are left out, as with the CLI's --ignore-system-fonts (searching
// them all takes some 50 ms): the compiler finds them through fontconfig's
// configuration, and FONTCONFIG_FILE is pointed at tests/peer/fonts.conf,
// which names no folder that exists.  --system-fonts searches them too.
//
// The PDF is tagged and PDF/UA-1 (--pdf-standard ua-1, the default), the
// nearest to the briefing's default "ua-1,a-2b": this binding takes one
// standard only.  Its creation date is 1 (as SOURCE_DATE_EPOCH=1).
//
// Prints, for each run, "run N: create X ms, compile Y ms, pdf Z ms, total
// T ms" and a summary with the Typst version and the pages; with --json,
// one JSON object instead.  Exits 1 when Typst reports an error or a
// warning (an unknown font is a warning), 2 on a usage error.

import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const USAGE = "usage: node tests/peer/typst-compile.mjs IN.typ OUT.pdf [RUNS] " +
	"[--json] [--system-fonts] [--pdf-standard STD] [--no-version]";

const usageError = (msg) => {
	process.stderr.write(`${msg}\n${USAGE}\n`);
	process.exit(2);
};

// --- command line -----------------------------------------------------------
const operands = [];
let json = false;
let systemFonts = false;
let standard = "ua-1";
let askVersion = true;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (a === "--json") json = true;
	else if (a === "--system-fonts") systemFonts = true;
	else if (a === "--no-version") askVersion = false;
	else if (a === "--pdf-standard" && i + 1 < argv.length) standard = argv[++i];
	else if (a.startsWith("--")) usageError(`unknown option ${a}`);
	else operands.push(a);
}
if (operands.length < 2 || operands.length > 3) usageError("need IN.typ and OUT.pdf");
const input = resolve(operands[0]);
const output = resolve(operands[1]);
const runs = operands.length === 3 ? Number(operands[2]) : 1;
if (!Number.isInteger(runs) || runs < 1) usageError(`RUNS must be a whole number from 1, not ${operands[2]}`);
if (!existsSync(input)) usageError(`${operands[0]}: no such file`);

const fontPaths = process.env.TYPST_FONT_PATHS
	? process.env.TYPST_FONT_PATHS.split(":").filter((p) => p)
	: [join(dirname(input), "fonts")].filter((p) => existsSync(p));
// Read by the compiler's font search (fontdb) when it looks for the
// installed fonts, that is when each compiler is made: set before.
if (!systemFonts) process.env.FONTCONFIG_FILE = join(HERE, "fonts.conf");

// --- the compiler -----------------------------------------------------------
// Loading the native module is timed too: it is part of every cold run.
let t0 = performance.now();
let NodeCompiler;
try {
	({ NodeCompiler } = await import("@myriaddreamin/typst-ts-node-compiler"));
} catch (e) {
	process.stderr.write(`typst-compile: cannot load the compiler (npm ci --prefix tests/peer): ${e.message}\n`);
	process.exit(2);
}
const loadMs = performance.now() - t0;

// Typst's diagnostics as "file:line:col? severity: message" strings.
const messages = (err) => (err ? err.shortDiagnostics : []).map((d) =>
	`${d.path ?? ""}: ${d.severity ?? ""}: ${d.message}`);

const times = [];
let pages = 0;
let compiler = null;
for (let i = 0; i < runs; i++) {
	// Nothing memoized survives from the run before.
	if (compiler) compiler.evictCache(0);
	compiler = null;
	let t = performance.now();
	compiler = NodeCompiler.create({
		workspace: dirname(input),
		fontArgs: [{ fontPaths }],
	});
	const create = performance.now() - t;

	t = performance.now();
	const result = compiler.compile({ mainFilePath: input });
	const compile = performance.now() - t;
	const error = result.takeError();
	const warnings = result.takeWarnings();
	if (error || warnings) {
		for (const m of [...messages(error), ...messages(warnings)])
			process.stderr.write(`typst-compile: ${m}\n`);
		process.exit(1);
	}
	const doc = result.result;
	pages = doc.numOfPages;

	t = performance.now();
	let pdf;
	try {
		pdf = compiler.pdf(doc, { pdfStandard: standard, creationTimestamp: 1 });
	} catch (e) {
		process.stderr.write(`typst-compile: ${e.message}\n`);
		process.exit(1);
	}
	writeFileSync(output, pdf);
	const pdfMs = performance.now() - t;
	times.push({ create, compile, pdf: pdfMs, total: create + compile + pdfMs });
}

// The version of Typst in the compiler, as Typst itself gives it
// (sys.version), asked once all the runs are done (a small compile:
// --no-version leaves it out of the process's time).
let version = null;
if (askVersion) {
	const probe = compiler.compile({ mainFileContent: "#metadata(str(sys.version)) <v>" });
	version = compiler.query(probe.result, { selector: "<v>", field: "value" })[0];
}

const ms = (x) => x.toFixed(1);
if (json) {
	process.stdout.write(JSON.stringify({ typst: version, pages, load: loadMs,
		standard, systemFonts, fontPaths, runs: times }) + "\n");
} else {
	times.forEach((r, i) => process.stdout.write(
		`run ${i + 1}${i === 0 ? " (cold)" : ""}: create ${ms(r.create)} ms, ` +
		`compile ${ms(r.compile)} ms, pdf ${ms(r.pdf)} ms, total ${ms(r.total)} ms\n`));
	// Runs 2.. are fresh compiles in a process already warm: their median.
	const warm = times.slice(1).map((r) => r.total).sort((x, y) => x - y);
	const mid = warm.length >> 1;
	const median = warm.length % 2 ? warm[mid] : (warm[mid - 1] + warm[mid]) / 2;
	process.stdout.write(`typst ${version ?? "(version not asked)"}, ${pages} pages, ` +
		`${standard}; loading the compiler ${ms(loadMs)} ms` +
		(warm.length ? `; runs 2-${runs}: median ${ms(median)} ms` : "") + "\n");
}
