import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The app is served from Tauri's custom protocol; relative asset paths, one output folder,
// and no inline scripts (the CSP allows only 'self').
export default defineConfig({
  plugins: [svelte()],
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
});
