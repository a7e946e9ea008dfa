// The app shell: header, navigation, sync status, routing and the not-found view.

import { assert, openPage, screenshotDir, test } from "./harness.mjs";

test("shell shows brand, navigation and sync status", async (context) => {
  const page = await openPage(context, "/");
  const banner = page.getByRole("banner");
  await banner.waitFor();
  assert(await banner.getByRole("link", { name: "Taoscope" }).isVisible(), "brand link missing");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Overview", "Subnets", "Validators", "Settings"]) {
    assert(await nav.getByRole("link", { name, exact: true }).isVisible(), `nav link ${name} missing`);
  }
  const status = banner.getByRole("status");
  assert((await status.textContent()).trim().length > 0, "sync status is empty");
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});

test("navigation changes route and heading", async (context) => {
  const page = await openPage(context, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Subnets" }).click();
  await page.getByRole("heading", { level: 1, name: "Subnets" }).waitFor();
  assert(new URL(page.url()).pathname === "/subnets", `url is ${page.url()}`);
  await page.close();
});

test("unknown route shows not-found with a way back", async (context) => {
  const page = await openPage(context, "/no/such/page");
  await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.close();
});

test("screenshots of the shell at 1280 and 375 px, light and dark", async (context) => {
  for (const colorScheme of ["light", "dark"]) {
    for (const width of [1280, 375]) {
      const page = await openPage(context, "/", { colorScheme, width });
      await page.getByRole("banner").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 0, `page scrolls sideways by ${overflow}px at ${width}px`);
      await page.screenshot({ path: `${screenshotDir}/shell-${width}-${colorScheme}.png`, fullPage: true });
      await page.close();
    }
  }
});

test("an unknown netuid or hotkey says so and links back", async (context) => {
  const page = await openPage(context, "/subnets/abc");
  await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  await page.goto(page.url().replace("/subnets/abc", "/subnets/999"));
  await page.getByText("no registered neurons at this block, or does not exist").waitFor({ timeout: 180_000 });
  assert(await page.getByRole("link", { name: "Back to all subnets" }).isVisible(), "a way back from an unknown subnet");
  await page.goto(page.url().replace("/subnets/999", "/validators/5NotADelegate"));
  await page.getByRole("heading", { level: 1, name: "Validator not found" }).waitFor({ timeout: 180_000 });
  assert(await page.getByRole("link", { name: "Back to all validators" }).isVisible(), "a way back from an unknown validator");
  await page.goto(page.url().replace("/validators/5NotADelegate", "/subnets?sort=bogus"));
  await page.getByText("Ignored sort=").waitFor();
  assert(page.errors.length === 0, `page errors: ${page.errors}`);
  await page.close();
});
