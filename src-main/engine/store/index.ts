/** The project store: the one place in the product that speaks SQL. */
export * from './backup';
export * from './classes';
export * from './errors';
export * from './labels';
export type { Migration } from './migrations';
export * from './models';
export * from './objects';
export * from './open';
export * from './pixels';
export * from './project';
export * from './project-lock';
export * from './rounds';
export * from './settings';
export * from './sources';
