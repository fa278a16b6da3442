import type { Page } from "@playwright/test";
import { E2E } from "./env";

export type TE2ERole = keyof typeof E2E.emails;

export async function signIn(page: Page, role: TE2ERole): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E.emails[role]);
  await page.getByLabel("Password").fill(E2E.passwords[role]);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/webhooks");
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${E2E.screenshots}/${name}.png`, fullPage: true });
}

/** Fails the test if the page tried to reach any host but the app. */
export function guardNetwork(page: Page): string[] {
  const outside: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (!["localhost", "127.0.0.1"].includes(url.hostname) && url.protocol !== "data:" && url.protocol !== "blob:") outside.push(req.url());
  });
  return outside;
}
