import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The API serves the built files from the same origin; in `npm run dev` the API is
// proxied so relative `/api` calls work unchanged.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", sourcemap: false, reportCompressedSize: true },
  server: { proxy: { "/api": process.env.CLAWTRIAGE_URL ?? "http://127.0.0.1:8080" } },
  test: { environment: "jsdom", include: ["src/**/*.test.ts", "src/**/*.test.tsx"] },
});
