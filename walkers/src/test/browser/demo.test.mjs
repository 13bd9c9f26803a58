// Drives the demo page at BASE_URL in Debian's chromium as two users, alice and bob, each in its own browser
// context: both log in and join one channel; alice sends bob a chat by user, by channel and by client, and each
// must appear on bob's page; bob's connection drops, alice chats in the channel meanwhile, and when bob's client
// reconnects those messages appear on his page, marked recovered, in order; alice runs self_progress_notif and her
// progress bar must reach 100%. Then the live
// board: alice creates a project and shares her graph with bob; bob opens its board; a task alice adds appears on
// bob's board, bob ticks it and alice's board shows it done, both without a reload; bob disconnects, alice adds a
// task, bob reconnects and his board recovers it. Then /docs must show the API. Both pages run under the server's
// Content-Security-Policy: a violation is a console error, a failure.
// Screenshots of both pages go to SCREENSHOT_DIR. Exits non-zero, saying what failed, on any failure.
import { launch, newPage, required, run, screenshot, step } from "./browser.mjs";

const BASE_URL = required("BASE_URL");
required("SCREENSHOT_DIR");
const CHANNEL = "room-" + Date.now().toString(36);
const PUBLIC_ROOT = "n::000000000000000000000001";

/** Opens the demo as a new user in its own context, registers, logs in (which connects) in CHANNEL. */
async function openAs(browser, name, problems) {
  const page = await newPage(browser, name, problems);
  await page.goto(BASE_URL + "/");
  await page.locator("#email").fill(name + "-" + Date.now() + "@example.com");
  await page.locator("#password").fill(name + "-password");
  await page.locator("#channel").fill(CHANNEL);
  await page.locator("#register").click();
  await page.locator("#account-status", { hasText: "Registered" }).waitFor();
  await page.locator("#login").click();
  await page.locator("#account-status", { hasText: "Logged in as" }).waitFor();
  // Login connects and authenticates the socket with change_user; the connection event then names the user's root.
  await page.waitForFunction((publicRoot) => {
    const root = document.getElementById("conn-root").textContent;
    return root.startsWith("n::") && root !== publicRoot;
  }, PUBLIC_ROOT);
  const info = {
    root: await page.locator("#conn-root").textContent(),
    client: await page.locator("#conn-client").textContent(),
    channel: await page.locator("#conn-channel").textContent(),
  };
  if (info.channel !== CHANNEL) throw new Error(name + " is in channel " + info.channel + ", not " + CHANNEL);
  step(name + " logged in and connected: " + JSON.stringify(info));
  return { page, info };
}

async function expectChat(page, text, who) {
  await page.locator("#chat-log li", { hasText: text }).waitFor();
  step(who + " received \"" + text + "\"");
}

/**
 * Bob's connection drops (the page's "Drop connection": the client cuts its socket as a network failure would and
 * stays away until "Reconnect now"); alice chats in the channel meanwhile; when bob's client reconnects, the
 * messages he missed appear on his page, marked recovered and in the order sent, and then live ones again.
 */
async function dropAndRecover(alice, bob) {
  const a = alice.page, b = bob.page;
  await b.locator("#offline-seconds").fill("300");
  await b.locator("#drop").click();
  await b.locator("#conn-state", { hasText: "reconnecting" }).waitFor();
  step("bob's connection dropped; his client waits to reconnect");

  const away = ["while bob is away 1", "while bob is away 2", "while bob is away 3"];
  for (const text of away) {
    await a.locator("#message").fill(text);
    await a.locator("#send-channel").click();
    await expectChat(a, text, "alice (the server has it)");
  }
  const bobState = await b.locator("#conn-state").textContent();
  if (!bobState.includes("reconnecting")) throw new Error("bob came back before alice was done: " + bobState);
  const early = await b.locator("#chat-log li", { hasText: "while bob is away" }).count();
  if (early !== 0) throw new Error("bob's page shows " + early + " messages sent while it was away, before it reconnected");
  step("alice chatted while bob was away; nothing reached his page");

  await b.locator("#reconnect-now").click();
  await b.locator("#conn-state", { hasText: "connected" }).waitFor();
  for (const text of away) await b.locator("#chat-log li.recovered", { hasText: text }).waitFor();
  const shown = (await b.locator("#chat-log li").allTextContents()).filter((t) => t.includes("while bob is away"));
  const order = away.map((text) => shown.findIndex((t) => t.includes(text)));
  if (!(order[0] > order[1] && order[1] > order[2])) throw new Error("bob's page shows them out of order (newest first): " + JSON.stringify(shown));
  step("bob reconnected: the three messages appeared, marked recovered, in the order sent");

  await a.locator("#message").fill("welcome back bob");
  await a.locator("#send-channel").click();
  await expectChat(b, "welcome back bob", "bob");
  if (await b.locator("#chat-log li.recovered", { hasText: "welcome back bob" }).count() !== 0) {
    throw new Error("a live message is marked recovered");
  }
}

/** The live board of a project alice shares with bob: each sees the other's changes as they are committed. */
async function liveBoard(alice, bob) {
  const a = alice.page, b = bob.page;
  const name = "launch-" + Date.now().toString(36);
  await a.locator("#project-name").fill(name);
  await a.locator("#create-project").click();
  await a.locator("#board-status", { hasText: "Live" }).waitFor();
  await a.locator("#board-title", { hasText: name }).waitFor();
  const project = await a.locator("#project-id").inputValue();
  if (!project.startsWith("n:Project:")) throw new Error("alice's project id is " + project);
  step("alice created " + project + " and follows its board");

  await a.locator("#share-with").fill(bob.info.root);
  await a.locator("#share").click();
  await a.locator("#board-status", { hasText: "Shared your graph" }).waitFor();
  await b.locator("#project-id").fill(project);
  await b.locator("#open-board").click();
  await b.locator("#board-status", { hasText: "Live" }).waitFor();
  await b.locator("#board-title", { hasText: name }).waitFor();
  step("alice shared her graph with bob (WRITE); bob follows the board too");

  await a.locator("#task-title").fill("write docs");
  await a.locator("#add-task").click();
  const bobsRow = b.locator("#board-tasks li", { hasText: "write docs" });
  await bobsRow.waitFor();
  step("the task alice added appeared on bob's board");

  await bobsRow.locator("input[type=checkbox]").check();
  await a.locator("#board-tasks li.done", { hasText: "write docs" }).waitFor();
  step("bob ticked it; alice's board shows it done");

  await b.locator("#disconnect").click();
  await b.locator("#conn-state", { hasText: "closed" }).waitFor();
  await a.locator("#task-title").fill("ship it");
  await a.locator("#add-task").click();
  await a.locator("#board-tasks li", { hasText: "ship it" }).waitFor();
  await b.locator("#connect").click();
  await b.locator("#board-tasks li", { hasText: "ship it" }).waitFor();
  await b.locator("#messages li code", { hasText: '"recovered":true' }).first().waitFor();
  step("bob reconnected; his board recovered the task added while he was away");
}

async function main() {
  const browser = await launch();
  const problems = [];
  let alice, bob;
  try {
    alice = await openAs(browser, "alice", problems);
    bob = await openAs(browser, "bob", problems);
    const a = alice.page;

    await a.locator("#message").fill("hello bob, by user");
    await a.locator("#to-user").fill(bob.info.root);
    await a.locator("#send-user").click();
    await expectChat(bob.page, "hello bob, by user", "bob");

    await a.locator("#message").fill("hello everyone in " + CHANNEL);
    await a.locator("#to-channel").fill(CHANNEL);
    await a.locator("#send-channel").click();
    await expectChat(bob.page, "hello everyone in " + CHANNEL, "bob");
    await expectChat(a, "hello everyone in " + CHANNEL, "alice (also in the channel)");

    await a.locator("#message").fill("hello bob's tab, by client");
    await a.locator("#to-client").fill(bob.info.client);
    await a.locator("#send-client").click();
    await expectChat(bob.page, "hello bob's tab, by client", "bob");

    await dropAndRecover(alice, bob);

    await a.locator("#run-progress").click();
    await a.locator('#progress-bar[aria-valuenow="100"]').waitFor();
    await a.locator("#progress-status", { hasText: "completed" }).waitFor();
    const label = await a.locator("#progress-label").textContent();
    if (label !== "100%") throw new Error("progress label shows " + label);
    step("alice's progress bar reached 100%");

    const progressMessages = await a.locator("#messages li .type", { hasText: "progress" }).count();
    if (progressMessages !== 6) throw new Error("alice's log shows " + progressMessages + " progress messages, expected 6");
    step("alice's message log shows the 6 progress notifications");

    await liveBoard(alice, bob);

    // /docs runs Swagger UI under the server's Content-Security-Policy: any violation is a console error
    const docs = await newPage(browser, "docs", problems);
    await docs.goto(BASE_URL + "/docs");
    await docs.locator(".swagger-ui .info .title", { hasText: "walkerd" }).waitFor();
    await docs.locator(".opblock-summary-path", { hasText: "/walker/create_project" }).first().waitFor();
    step("/docs shows the API under its Content-Security-Policy");
    await docs.context().close();

    if (problems.length) throw new Error(problems.join("\n"));
  } finally {
    for (const [who, user] of [["alice", alice], ["bob", bob]]) {
      if (user) await screenshot(user.page, "demo-" + who + ".png");
    }
    await browser.close();
  }
}

run("demo", main);
