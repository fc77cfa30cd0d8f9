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
    // JPEG/PNG cutouts: fetch the file as it is (FITS sources have none to show yet).
    if (object && /\.(jpe?g|png)$/i.test(object.file) && this.original?.id !== id) {
      const image = await this.request('object.original', { id });
      if (ticket === this.latest && image) this.original = { id, image };
    }
  }

  toggleOriginal(): void {
    this.showOriginal = !this.showOriginal;
  }

  toggleZoom(): void {
    this.zoomed = !this.zoomed;
  }
}
