/** The submit response, handed from the form to the result page (which reloads the ticket when it is gone). */
import type { SubmitResult } from '../api/types';

let last: (SubmitResult & { answer?: string }) | null = null;

export function rememberSubmission(result: SubmitResult & { answer?: string }): void {
  last = result;
}

export function submissionFor(ticketId: string): (SubmitResult & { answer?: string }) | null {
  return last && last.ticket.id === ticketId ? last : null;
}
