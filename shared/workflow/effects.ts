/** Templates of notices; the notifier maps each to a subscription-message template and fields. */
export type NoticeTemplate =
  | 'progress' // to the requester: the ticket moved
  | 'assigned' // to a unit: a new ticket to sign
  | 'dueSoon' // to a unit: a deadline is near
  | 'overdue' // to a unit and operators: a deadline passed
  | 'supervised' // to a unit: 督办
  | 'review' // to operators: something waits for review
  | 'warning'; // to operators: a risk warning (a category or area far above its 8-week baseline), about no ticket

export type Audience =
  | { kind: 'requester' }
  | { kind: 'units'; unitIds: string[] }
  | { kind: 'operators' };

export type Effect =
  | { kind: 'notify'; audience: Audience; template: NoticeTemplate; ticketId: string; summary: string }
  | { kind: 'createChildren'; parentId: string; unitIds: string[] };
