// What the browser tests share: their settings from the environment, Debian's chromium launched through
// playwright-core, pages that record every page error and console error (a Content-Security-Policy violation is
// one) as a problem, so that a test fails on them, screenshots, and the last line that says how the test ended.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const TIMEOUT = 15_000;
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** An environment variable the script cannot run without; exits with 2 when it is not set. */
export function required(name) {
  const v = process.env[name];
  if (!v) {
    console.error(name + " is not set");
    process.exit(2);
  }
  return v;
}

export function step(text) { console.log("- " + text); }

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
      "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

/** A page in a context of its own whose errors are pushed to problems, each prefixed with name. */
export async function newPage(browser, name, problems, viewport = { width: 1280, height: 1000 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => problems.push(name + ": page error: " + e.message));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(name + ": console error: " + m.text() + " " + JSON.stringify(m.location()));
  });
  return page;
}

/** Saves a full-page screenshot as SCREENSHOT_DIR/name; a failure to take it is logged, not thrown. */
export async function screenshot(page, name) {
  const dir = required("SCREENSHOT_DIR");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  await page.screenshot({ path: file, fullPage: true }).catch((e) => console.error("screenshot failed: " + e.message));
  step("screenshot " + file);
}

/** Runs a test's main; prints "<name> browser test passed", or FAILED with the error and exit code 1. */
export function run(name, main) {
  main().then(
    () => { console.log(name + " browser test passed"); },
    (e) => {
      console.error(name + " browser test FAILED: " + (e && e.stack || e));
      process.exitCode = 1;
    },
  );
}
