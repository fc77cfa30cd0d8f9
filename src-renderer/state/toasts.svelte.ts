/// <reference types="svelte" />
/**
 * Readable sentences for the user: engine errors never reach them as stacks. A notice leaves
 * by itself; an error stays until it is dismissed (× or Escape), but only the newest one is
 * shown, with a count of the others, in a strip of its own: they never pile up over the work.
 */
import type { ApiError } from '../../src-main/contract/contract';

export type ToastLevel = 'error' | 'notice';

export interface Toast {
  id: number;
  code: string;
  message: string;
  level: ToastLevel;
}

/** How long a notice stays, in ms. */
export const NOTICE_MS = 4000;

export class ToastStore {
  items = $state<Toast[]>([]);
  private nextId = 1;

  /** Shows an error; the same sentence twice in a row is shown once. */
  push(error: ApiError, level: ToastLevel = 'error'): void {
    const message = error.message.trim() || 'Something went wrong; please try again.';
    if (this.items.at(-1)?.message === message) return;
    this.items = [...this.items.slice(-4), { id: this.nextId++, code: error.code, message, level }];
  }

  /** A passing notice (not an error): it closes by itself after NOTICE_MS. */
  notice(code: string, message: string): void {
    this.push({ code, message }, 'notice');
  }

  /** The one toast shown: the newest. */
  get current(): Toast | null {
    return this.items.at(-1) ?? null;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
  }

  /** Escape: closes the shown toast. Returns true when there was one. */
  dismissCurrent(): boolean {
    const current = this.current;
    if (current) this.dismiss(current.id);
    return current !== null;
  }
}

/** Turns anything thrown (network failure, bug) into the ApiError shape the toasts show. */
export function toApiError(error: unknown): ApiError {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const message = String((error as { message: unknown }).message);
    const code = 'code' in error ? String((error as { code: unknown }).code) : 'client';
    // Only the first line: a stack trace is no message for a user.
    return { code, message: message.split('\n')[0] ?? message };
  }
  return { code: 'client', message: String(error) };
}
