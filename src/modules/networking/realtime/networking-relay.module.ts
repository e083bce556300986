import { Module } from '@nestjs/common';
import { NetworkingModule } from '../networking.module';
import { ChatRelayPublisher } from './chat-relay';

/** The worker's side of chat's live updates: what it changes is published for the web processes' sockets. */
@Module({
  imports: [NetworkingModule],
  providers: [ChatRelayPublisher],
})
export class NetworkingRelayModule {}
