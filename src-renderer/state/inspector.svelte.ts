/// <reference types="svelte" />
/** Details of the object in the large preview (object.get), fetched as the focus moves. */
import type {
  AhuntApi,
  ApiError,
  ObjectView,
  OriginalImage,
} from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export class InspectorStore {
  object = $state<ObjectView | null>(null);
  loading = $state(false);
  zoomed = $state(false);
  /** The one band the preview shows of a multi-band object (blink), or null for all. */
  band = $state<number | null>(null);
  /** The object's source image (JPEG/PNG) at native resolution, once fetched. */
  original = $state<{ id: number; image: OriginalImage } | null>(null);
  /** Show the original rather than the model's tensor, where there is one. */
  showOriginal = $state(true);
  /**
   * The FITS frame view: zoom (1 = the whole region in the pane, 4 = the cutout fills it) and
   * pan (the image's offset from centred, in pane widths), kept across objects.
   */
  frameZoom = $state(1);
  framePan = $state({ x: 0, y: 0 });
  private readonly request: Requester;
  private latest = 0;

  /**
   * @param settleMs wait this long before asking, so a focus that moves on at typing speed
   *   does not queue object.get requests in front of the label.set the user is waiting for.
   */
  constructor(
    api: AhuntApi,
    report: (error: ApiError) => void,
    private readonly settleMs = 0,
  ) {
    this.request = makeRequester(api, report);
  }

  reset(): void {
    this.latest += 1;
    this.object = null;
    this.loading = false;
    this.zoomed = false;
    this.band = null;
  }

  /** Blink: all bands → the first → … → the last → all again. */
  nextBand(bands: number): void {
    if (bands < 2) this.band = null;
    else this.band = this.band === null ? 0 : this.band + 1 < bands ? this.band + 1 : null;
  }

  /** Loads an object; an answer that arrives after a newer request is dropped. */
  async open(id: number): Promise<void> {
    const ticket = ++this.latest;
    this.loading = true;
    if (this.settleMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      if (ticket !== this.latest) return;
    }
    const object = await this.request('object.get', { id });
    if (ticket !== this.latest) return;
    this.loading = false;
    // Read only after an await: open() runs inside the preview's effect, which must not
    // come to depend on the object it is loading (it would reload forever).
    if (object && this.object?.id !== object.id) this.band = null;
    if (object) this.object = object;
    // JPEG/PNG cutouts: fetch the file as it is; FITS: the region of the frame around it.
    if (
      object &&
      this.original?.id !== id &&
      /\.(jpe?g|png|fits?|fts|fz)(\.gz)?$/i.test(object.file)
    ) {
      if (this.object?.id !== object.id) this.framePan = { x: 0, y: 0 };
      const image = await this.request('object.original', { id });
      if (ticket === this.latest && image) this.original = { id, image };
    }
  }

  toggleOriginal(): void {
    this.showOriginal = !this.showOriginal;
  }

  toggleZoom(): void {
    this.zoomed = !this.zoomed;
    this.frameZoom = this.zoomed ? 4 : 1;
    this.framePan = { x: 0, y: 0 };
  }

  /**
   * Zooms the frame view by `factor` about a point of the pane (offset from its centre, in
   * pane widths; the centre by default), keeping that point where it is.
   */
  zoomFrame(factor: number, at: { x: number; y: number } = { x: 0, y: 0 }): void {
    const zoom = Math.min(64, Math.max(1, this.frameZoom * factor));
    const k = zoom / this.frameZoom;
    this.frameZoom = zoom;
    this.zoomed = zoom > 1;
    if (zoom === 1) this.framePan = { x: 0, y: 0 };
    else this.setFramePan(at.x - (at.x - this.framePan.x) * k, at.y - (at.y - this.framePan.y) * k);
  }

  /** Moves the frame view's image by (dx, dy) pane widths. */
  panFrame(dx: number, dy: number): void {
    this.setFramePan(this.framePan.x + dx, this.framePan.y + dy);
  }

  /** Pans no further than keeps some of the image in the pane. */
  private setFramePan(x: number, y: number): void {
    const reach = this.frameZoom / 2;
    const clamp = (v: number) => Math.min(reach, Math.max(-reach, v));
    this.framePan = { x: clamp(x), y: clamp(y) };
  }
}
