// Builds the SDK and the embedded journey's scripts into the host's wwwroot (committed, so `dotnet run` serves them
// without npm). Deterministic: same sources and esbuild version, same bytes. `--check` fails when the committed files
// differ from a fresh build; `--test` builds the pure modules for node's test runner.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "../../src/Consentry/wwwroot");
const outputs = [
  { entry: "src/link.ts", out: "sdk/link.js" },
  { entry: "src/embed.ts", out: "link/embed.js" },
  { entry: "src/popup-result.ts", out: "link/embed-result.js" },
  { entry: "src/manage.ts", out: "link/manage.js" },
];
const common = { bundle: true, format: "esm", target: "es2022", platform: "browser", legalComments: "none", charset: "utf8", logLevel: "warning" };
const banner = { js: "// Consentry Link SDK: built from sdk/link (npm run build). Do not edit." };

async function buildTo(root) {
  for (const { entry, out } of outputs) {
    await build({ ...common, entryPoints: [join(here, entry)], outfile: join(root, out), banner });
  }
}

if (process.argv.includes("--test")) {
  await build({ ...common, platform: "neutral", entryPoints: ["protocol", "markdown", "journey", "connections", "layout", "i18n"].map((m) => join(here, `src/${m}.ts`)), outdir: join(here, ".tmp/test"), outExtension: { ".js": ".mjs" } });
} else if (process.argv.includes("--check")) {
  const fresh = mkdtempSync(join(tmpdir(), "consentry-sdk-"));
  try {
    await buildTo(fresh);
    const stale = outputs.filter(({ out }) => readFileSync(join(fresh, out), "utf8") !== readFileSync(join(wwwroot, out), "utf8"));
    if (stale.length > 0) {
      console.error(`Committed SDK files differ from a fresh build: ${stale.map((s) => s.out).join(", ")}. Run "npm run build" in sdk/link and commit.`);
      process.exit(1);
    }
    console.log("sdk/link: committed build is up to date.");
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  await buildTo(wwwroot);
}
