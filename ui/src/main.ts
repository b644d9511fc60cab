// First, before any library runs: the built-in prototypes are frozen.
import "./lib/freeze";
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

const target = document.getElementById("app");
if (!target) throw new Error("no #app element");
export default mount(App, { target });
