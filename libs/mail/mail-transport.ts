import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '@libs/config';
import type { MailMessage } from './mail-message.entity';

/** SMTP when SMTP_URL is set; otherwise mail stays in the local outbox, readable by admins at /dev/mail. */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private transporter?: Transporter;

  constructor(private readonly config: AppConfig) {}

  get kind(): 'smtp' | 'local' {
    return this.config.localMail ? 'local' : 'smtp';
  }

  async send(message: MailMessage): Promise<void> {
    if (this.kind === 'local') return;
    this.transporter ??= nodemailer.createTransport(this.config.smtpUrl as string);
    await this.transporter.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      messageId: `<${message.id}@${new URL(this.config.baseUrl).hostname}>`,
    });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
