import type { PrivacyRelay, RelayBinding } from '../../../shared/ports';

/**
 * The privacy-number port without a vendor: no middle number is bound; the request waits on the
 * ticket (`ticket.relay`) until an operator has called the requester, connected the unit and
 * recorded the result (`relayDone`).
 */
export const operatorRelay: PrivacyRelay = {
  port: 'operator',
  async bind(): Promise<RelayBinding> {
    return { port: 'operator' };
  },
};
