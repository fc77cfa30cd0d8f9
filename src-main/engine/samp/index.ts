/**
 * SAMP 1.3 (IVOA Simple Application Messaging Protocol), standard profile: the client that
 * finds a hub and talks to TOPCAT, DS9 and Aladin through it, and the project's side of
 * what is sent and received.
 */
export { SampClient, SampError } from './client';
export type { SampClientOptions, MessageHandler } from './client';
export { SampLink } from './project-link';
export type { SampLinkOptions } from './project-link';
export { findHub, lockfilePath, parseLockfile } from './lockfile';
export type { HubDiscovery, HubLocation } from './lockfile';
export { nearestObject, separationDeg } from './nearest';
export { SEND, RECEIVE } from './mtypes';
