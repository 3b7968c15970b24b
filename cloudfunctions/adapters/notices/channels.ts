import type { Notice, Recipient } from '../../../shared/ports';
import { SendError, failureKind, type Sender } from '../../lib/delivery';
import type { WeChatSubscribeSender } from './wechatSubscribe';

/**
 * The local runtime's way out for notices, behind the one Sender the notifier drives: a WeChat
 * subscription message when the recipient has an openid and the notice a template; SMS when they
 * have neither, or WeChat says there is no subscription left (43101). A timeout is not followed
 * by an SMS (the message may have arrived); the notifier retries it. Each delivery is still one
 * record in the deliveries table, the outbox the 消息 page and operators audit.
 */
export class NoticeChannels implements Sender {
  constructor(private readonly wechat: WeChatSubscribeSender | null, private readonly sms: Sender | null) {}

  async send(to: Recipient, notice: Notice): Promise<void> {
    if (this.wechat && to.openid && this.wechat.handles(notice)) {
      try {
        await this.wechat.send(to, notice);
        return;
      } catch (e) {
        if (!this.sms || failureKind(e).kind !== 'no-subscription') throw e;
      }
    }
    if (this.sms) return this.sms.send(to, notice);
    throw new SendError(to.openid ? 'no-template' : 'no-openid', 'no-subscription', `no channel reaches ${to.userId} for ${notice.template}`);
  }
}
