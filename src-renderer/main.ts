// First: the contract's schemas must be built with Zod's eval-free parser (see the module).
import './zod-jitless';
import { mount, tick } from 'svelte';
import './styles/app.css';
import App from './App.svelte';
import Unavailable from './components/Unavailable.svelte';
import { pickApi } from './api/pick-api';
import { AppState } from './state/app.svelte';
import type { Metrics } from './state/metrics';

declare global {
  interface Window {
    /** Timings for the browser tests (keypress → label, grid draws). */
    __ahuntMetrics?: Metrics;
  }
}

const target = document.getElementById('app')!;
const api = pickApi();
if ('error' in api) {
  mount(Unavailable, { target, props: { message: api.error } });
} else {
  const app = new AppState(api, {
    storage: localStorage,
    afterRender: tick,
    nextFrame: () => new Promise((resolve) => requestAnimationFrame(() => resolve())),
    inspectorSettleMs: 120,
  });
  window.__ahuntMetrics = app.metrics;
  mount(App, { target, props: { app } });
}
