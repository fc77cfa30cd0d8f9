/**
 * What a door needs to host a GPU page: the port the engine talks through and the message the
 * page waits for with its port. Types and a constant only, so the door's preload, which
 * imports this, bundles none of the engine.
 */
export type { GpuPagePort } from '../engine/learn/gpu-page/port';
export { PORT_HANDOVER } from '../engine/learn/gpu-page/port';
