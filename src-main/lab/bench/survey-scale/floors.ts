/**
 * The floors issue #7 sets for a 10^6-object project of 64×64 cutouts on the 2-core machine.
 * A bench run passes its own floors (tests pass impossible ones to see a failure reported).
 */
export interface ScaleFloors {
  scoringObjectsPerSecond: number;
  /** p95 of each UI query, milliseconds. */
  queryMs: number;
  peakRssMB: number;
  /** Database, WAL and every cache in the project folder, divided by objects. */
  bytesPerObject: number;
}

export const SCALE_FLOORS: ScaleFloors = {
  scoringObjectsPerSecond: 10_000,
  queryMs: 10,
  peakRssMB: 2048,
  bytesPerObject: 10_240,
};

export interface FloorCheck {
  floor: number;
  value: number;
  /** 'min': value must reach the floor; 'max': value must stay at or under it. */
  kind: 'min' | 'max';
  met: boolean;
}

export function atLeast(value: number, floor: number): FloorCheck {
  return { floor, value, kind: 'min', met: value >= floor };
}

export function atMost(value: number, floor: number): FloorCheck {
  return { floor, value, kind: 'max', met: value <= floor };
}
