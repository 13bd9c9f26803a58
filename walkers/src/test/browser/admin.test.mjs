// Drives the admin page at BASE_URL/admin in Debian's chromium under the server's Content-Security-Policy: it signs
// in with ADMIN_TOKEN, its live feed starts, and a websocket connection that another page opens shows in its
// connection count within a second; then it finds that connection's channel and shows its presence. A screenshot
// goes to SCREENSHOT_DIR/admin.png. Exits non-zero, saying what failed, on any failure (a CSP violation is one).
import { launch, newPage, required, run, screenshot, step } from "./browser.mjs";

const BASE_URL = required("BASE_URL");
required("SCREENSHOT_DIR");
const ADMIN_TOKEN = required("ADMIN_TOKEN");
const CHANNEL = "admin-room-" + Date.now().toString(36);

async function main() {
  const browser = await launch();
  const problems = [];
  let admin;
  try {
    admin = await newPage(browser, "admin", problems);
    await admin.goto(BASE_URL + "/admin");
    await admin.locator("#token").fill(ADMIN_TOKEN);
    await admin.locator("#use-token").click();
    await admin.locator("#feed-state", { hasText: "live" }).waitFor();
    await admin.waitForFunction(() => /^\d+$/.test(document.getElementById("conn-public").textContent));
    const before = Number(await admin.locator("#conn-public").textContent());
    step("signed in with ADMIN_TOKEN; the live feed shows " + before + " public connections");

    // another page opens a websocket; the admin page must count it within a second of its connection event
    const other = await newPage(browser, "client", problems);
    await other.goto(BASE_URL + "/admin"); // any page of the server (this one, without a token, shows nothing)
    const clientId = await other.evaluate((channel) => new Promise((resolve, reject) => {
      const ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/websocket?channel_id=" + encodeURIComponent(channel));
      window.socket = ws;
      ws.onmessage = (e) => {
        const m = JSON.parse(e.data);
        if (m.type === "connection") resolve(m.data.client_id);
      };
      ws.onerror = () => reject(new Error("the websocket failed"));
    }), CHANNEL);
    const opened = Date.now();
    await admin.waitForFunction((n) => Number(document.getElementById("conn-public").textContent) === n, before + 1, { timeout: 1000 });
    step("the admin page counted the new connection " + clientId + " after " + (Date.now() - opened) + " ms");

    await admin.locator("#channel-query").fill(CHANNEL);
    await admin.locator("#channel-search").click();
    const row = admin.locator("#channel-list tr", { hasText: CHANNEL });
    await row.waitFor();
    await row.locator("button").click();
    await admin.locator("#presence-list li", { hasText: clientId }).waitFor();
    step("its channel was found, and its presence lists the connection");

    await admin.locator("#plot-messages polyline").waitFor({ state: "attached" });
    step("the messages plot draws the last seconds");
    if (problems.length) throw new Error(problems.join("\n"));
  } finally {
    if (admin) await screenshot(admin, "admin.png");
    await browser.close();
  }
}

run("admin", main);
