/// <reference types="svelte" />
/** Readable error sentences shown as toasts: engine errors never reach the user as stacks. */
import type { ApiError } from '../../src-main/contract/contract';

export interface Toast {
  id: number;
  code: string;
  message: string;
}

export class ToastStore {
  items = $state<Toast[]>([]);
  private nextId = 1;

  /** Shows an error; the same sentence twice in a row is shown once. */
  push(error: ApiError): void {
    const message = error.message.trim() || 'Something went wrong; please try again.';
    if (this.items.at(-1)?.message === message) return;
    this.items = [...this.items.slice(-4), { id: this.nextId++, code: error.code, message }];
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
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
