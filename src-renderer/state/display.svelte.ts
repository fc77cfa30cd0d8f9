/// <reference types="svelte" />
/** The one display setting applied to the whole grid and the preview; persisted locally. */
import { colormapNames, type ColormapName } from '../display/colormaps';
import { limitModes, type LimitMode, type Limits } from '../display/limits';
import type { DisplayOptions } from '../display/render';
import { cycleStretch, stretchNames, type StretchName } from '../display/stretch';
import { readJson, type StorageLike } from './storage';
import { scaleLimits, shiftLimits } from '../display/adjust';

export const displayStorageKey = 'ahunt.display';

function cycle<T>(values: readonly T[], current: T, step: 1 | -1): T {
  const i = values.indexOf(current);
  return values[(i + step + values.length) % values.length]!;
}

export class DisplayStore {
  // Faint structure without a cell full of noise: asinh from just above the sky (limits.ts).
  // DS9's linear zscale is a keystroke away (] and z).
  stretch = $state<StretchName>('asinh');
  limits = $state<LimitMode>('sky');
  custom = $state<Limits>({ lo: 0, hi: 1 });
  colormap = $state<ColormapName>('grey');
  rgb = $state(true);
  /** Grid cell size in CSS pixels, when the grid is not fitted to its pane. */
  cellSize = $state(112);
  /** Cells sized so the batch fills the pane (the default); off once a size is chosen. */
  fit = $state(true);
  /** One set of limits for the whole grid instead of one per cell. */
  lockScale = $state(false);
  /** The limits the preview shows now (not saved): what contrast and bias start from. */
  shown = $state<Limits | null>(null);

  constructor(private readonly storage: StorageLike) {
    const stored = readJson(storage, displayStorageKey) as
      Partial<Record<string, unknown>> | undefined;
    if (!stored) return;
    if (stretchNames.includes(stored.stretch as StretchName))
      this.stretch = stored.stretch as StretchName;
    if (limitModes.includes(stored.limits as LimitMode)) this.limits = stored.limits as LimitMode;
    if (colormapNames.includes(stored.colormap as ColormapName)) {
      this.colormap = stored.colormap as ColormapName;
    }
    if (typeof stored.rgb === 'boolean') this.rgb = stored.rgb;
    if (typeof stored.cellSize === 'number') this.setCellSize(stored.cellSize);
    this.fit = stored.fit !== false;
    this.lockScale = stored.lockScale === true;
    const custom = stored.custom as Partial<Limits> | undefined;
    if (custom && typeof custom.lo === 'number' && typeof custom.hi === 'number') {
      this.custom = { lo: custom.lo, hi: custom.hi };
    }
  }

  /** What the renderer needs; reading it inside an effect subscribes to every field. */
  get options(): DisplayOptions {
    return {
      stretch: this.stretch,
      limits: this.limits,
      custom: { ...this.custom },
      colormap: this.colormap,
      rgb: this.rgb,
    };
  }

  cycleStretch(step: 1 | -1): void {
    this.stretch = cycleStretch(this.stretch, step);
    this.save();
  }

  cycleLimits(): void {
    this.limits = cycle(limitModes, this.limits, 1);
    this.save();
  }

  cycleColormap(): void {
    this.colormap = cycle(colormapNames, this.colormap, 1);
    this.save();
  }

  update(
    patch: Partial<Pick<DisplayStore, 'stretch' | 'limits' | 'colormap' | 'rgb' | 'custom'>>,
  ): void {
    Object.assign(this, patch);
    this.save();
  }

  setCellSize(size: number): void {
    this.cellSize = Math.round(Math.min(320, Math.max(48, size)));
    this.fit = false;
    this.save();
  }

  /**
   * Contrast/bias (dragging on the preview, Shift+arrows): the limits become custom ones,
   * starting from those shown.
   */
  setLimits(limits: Limits): void {
    this.limits = 'custom';
    this.custom = { ...limits };
    this.save();
  }

  /** A keyboard step of bias (±1: a tenth of the window) or contrast (±1: ×1.25). */
  nudge(kind: 'bias' | 'contrast', step: 1 | -1): void {
    const from = this.limits === 'custom' ? this.custom : this.shown;
    if (!from) return;
    this.setLimits(
      kind === 'bias' ? shiftLimits(from, step * 0.1) : scaleLimits(from, 1.25 ** step),
    );
  }

  toggleLockScale(): void {
    this.lockScale = !this.lockScale;
    this.save();
  }

  /** Back to cells that fill the pane. */
  fitToPane(): void {
    this.fit = true;
    this.save();
  }

  private save(): void {
    this.storage.setItem(
      displayStorageKey,
      JSON.stringify({
        stretch: this.stretch,
        limits: this.limits,
        colormap: this.colormap,
        rgb: this.rgb,
        cellSize: this.cellSize,
        fit: this.fit,
        lockScale: this.lockScale,
        custom: this.custom,
      }),
    );
  }
}
