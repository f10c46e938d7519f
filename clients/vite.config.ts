import { defineConfig } from "vite";

// The web page: built into dist/, which `make run` serves at /. `npm run dev` proxies the API to ATELIER_URL.
const api = process.env.ATELIER_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  root: "web",
  base: "/",
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    reportCompressedSize: true,
    rollupOptions: {
      // react-query's "use client" directives are for React Server Components bundlers, not this page.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: { proxy: { "/api": api, "/graphql": api } },
});
