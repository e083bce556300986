import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NetworkingModule } from '../networking.module';
import { ChatGateway } from './chat.gateway';
import { ChatPresence } from './presence';
import { SocketAuthenticator } from './socket-auth';

/**
 * Chat's real-time side, for the web process only: the Socket.IO gateway (set up with ChatIoAdapter in
 * createWebApp), socket authentication by the session cookie, and presence. The worker sends nothing to sockets.
 */
@Module({
  imports: [CqrsModule, NetworkingModule],
  providers: [SocketAuthenticator, ChatPresence, ChatGateway],
})
export class NetworkingRealtimeModule {}
