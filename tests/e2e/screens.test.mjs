// Every route at 1280 and 375 px, light and dark: no sideways scrolling, and a screenshot of each.

import { assert, openPage, screenshotDir, test } from "./harness.mjs";

const ROUTES = [
  { name: "overview", path: "/", data: true },
  { name: "subnets", path: "/subnets", data: true },
  { name: "subnet-1", path: "/subnets/1", data: true },
  { name: "validators", path: "/validators", data: true },
  { name: "baskets", path: "/baskets", data: true },
  { name: "watchlist", path: "/watchlist", data: false },
  { name: "settings", path: "/settings", data: false },
  { name: "not-found", path: "/no/such/page", data: false },
];

test("every route at 1280 and 375 px, light and dark", async (context) => {
  for (const route of ROUTES) {
    for (const colorScheme of ["light", "dark"]) {
      for (const width of [1280, 375]) {
        const page = await openPage(context, route.path, { colorScheme, width });
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        if (route.data) await page.locator(".provenance.verified").first().waitFor({ timeout: 120_000 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert(overflow <= 0, `${route.path} scrolls sideways by ${overflow}px at ${width}px ${colorScheme}`);
        await page.screenshot({ path: `${screenshotDir}/${route.name}-${width}-${colorScheme}.png`, fullPage: true });
        assert(page.errors.length === 0, `${route.path}: page errors ${page.errors}`);
        await page.close();
      }
    }
  }
});
