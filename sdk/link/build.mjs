// Builds the SDK and the embedded journey's scripts into the host's wwwroot (committed, so `dotnet run` serves them
// without npm). Deterministic: same sources and esbuild version, same bytes. `--check` fails when the committed files
// differ from a fresh build; `--test` builds the pure modules for node's test runner.
import { build } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "../../src/Consentry/wwwroot");
// The SDK (/sdk/link.js) and the journey inside its iframe (/link/embed.js) share most of their code (the texts in five
// languages, the message protocol, data type labels): one build with code splitting puts it in one module,
// /sdk/chunks/shared-<hash>.js, that both import and the browser fetches once. It lives under /sdk so an app's page may
// load it like the SDK itself (CORS, any origin); its name changes with its content, so it is cached for good.
const split = { "sdk/link": "src/link.ts", "link/embed": "src/embed.ts" };
const chunks = "sdk/chunks";
// Small page scripts that share nothing worth a request with the above (manage.js imports /sdk/link.js at run time).
const single = [
  { entry: "src/popup-result.ts", out: "link/embed-result.js" },
  { entry: "src/manage.ts", out: "link/manage.js" },
];
const common = { bundle: true, format: "esm", target: "es2022", platform: "browser", legalComments: "none", charset: "utf8", logLevel: "warning" };
const banner = { js: "// Consentry Link SDK: built from sdk/link (npm run build). Do not edit." };

/** Every file the build writes under a root, relative to it: the entry points and whatever chunks are there. */
function written(root) {
  const dir = join(root, chunks);
  const found = existsSync(dir) ? readdirSync(dir).map((f) => `${chunks}/${f}`) : [];
  return [...Object.keys(split).map((out) => `${out}.js`), ...single.map(({ out }) => out), ...found].sort();
}

async function buildTo(root) {
  // A chunk's name is its content's hash: old ones are removed, not left beside the new one.
  rmSync(join(root, chunks), { recursive: true, force: true });
  const entryPoints = Object.fromEntries(Object.entries(split).map(([out, entry]) => [out, join(here, entry)]));
  await build({ ...common, entryPoints, outdir: root, splitting: true, chunkNames: `${chunks}/shared-[hash]`, banner });
  for (const { entry, out } of single) {
    await build({ ...common, entryPoints: [join(here, entry)], outfile: join(root, out), banner });
  }
}

if (process.argv.includes("--test")) {
  await build({ ...common, platform: "neutral", entryPoints: ["protocol", "markdown", "journey", "connections", "layout", "i18n"].map((m) => join(here, `src/${m}.ts`)), outdir: join(here, ".tmp/test"), outExtension: { ".js": ".mjs" } });
} else if (process.argv.includes("--check")) {
  const fresh = mkdtempSync(join(tmpdir(), "consentry-sdk-"));
  try {
    await buildTo(fresh);
    const expected = written(fresh);
    const committed = written(wwwroot);
    const stale = [...new Set([...expected, ...committed])].filter((out) =>
      !expected.includes(out) || !existsSync(join(wwwroot, out)) || readFileSync(join(fresh, out), "utf8") !== readFileSync(join(wwwroot, out), "utf8"));
    if (stale.length > 0) {
      console.error(`Committed SDK files differ from a fresh build: ${stale.join(", ")}. Run "npm run build" in sdk/link and commit.`);
      process.exit(1);
    }
    console.log("sdk/link: committed build is up to date.");
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  await buildTo(wwwroot);
}
