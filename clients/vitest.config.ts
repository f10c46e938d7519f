import { defineConfig } from "vitest/config";

// Hook tests run against a real server (ATELIER_URL; tests/clients/test_web_client.py starts one). jsdom's
// origin is the server's, so uploads over XMLHttpRequest are same-origin as in the browser.
export default defineConfig({
  test: {
    environment: "jsdom",
    environmentOptions: { jsdom: { url: process.env.ATELIER_URL ?? "http://127.0.0.1:8000" } },
    include: ["tests/**/*.test.{ts,tsx}"],
    setupFiles: ["tests/setup.ts"],
    testTimeout: 120_000, // generous: CI machines are small and shared
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
