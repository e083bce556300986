import { Module, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@libs/personal-data';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { ArchiveBoardHandler, CreateBoardHandler, GetBoardHandler, ListBoardsHandler, MoveBoardHandler, UpdateBoardHandler } from './application/boards.handlers';
import { ChatFanout } from './application/chat-fanout';
import {
  ArchiveChannelHandler,
  CreateChannelHandler,
  GetChatUnreadTotalHandler,
  GetConversationAccessHandler,
  GetConversationHandler,
  JoinChannelHandler,
  LeaveConversationHandler,
  ListChannelsHandler,
  ListChatSubscriptionsHandler,
  ListConversationsHandler,
  ListGroupsHandler,
  MarkConversationReadHandler,
  UpdateChannelHandler,
} from './application/chat-conversations.handlers';
import { BlockMemberHandler, CanMessageMemberHandler, GetChatSettingsHandler, OpenDirectConversationHandler, SetDmPolicyHandler } from './application/chat-direct.handlers';
import {
  CreateGroupHandler,
  DecideJoinRequestHandler,
  InviteToGroupHandler,
  RemoveGroupMemberHandler,
  RequestToJoinGroupHandler,
  RespondToGroupInvitationHandler,
  TransferGroupOwnershipHandler,
  UpdateGroupHandler,
} from './application/chat-groups.handlers';
import {
  DeleteMessageHandler,
  EditMessageHandler,
  GetChatImageAccessHandler,
  ListMessagesHandler,
  SearchConversationHandler,
  SendMessageHandler,
} from './application/chat-messages.handlers';
import {
  ApplyChatModerationOnDecidedHandler,
  GetChatMessageNoticeHandler,
  GetChatPresenceHandler,
  HideMessageHandler,
  ReportMessageHandler,
} from './application/chat-moderation.handlers';
import { SeedDemoChatHandler } from './application/chat-seed-demo.handler';
import { GetChatPersonalDataHandler, GetForumPersonalDataHandler } from './application/personal-data.handlers';
import { GetChatPersonalDataQuery, GetForumPersonalDataQuery } from './contracts';
import { ChatStore } from './application/chat-store';
import { ForumStore } from './application/forum-store';
import {
  ApplyModerationOnDecidedHandler,
  GetPostNoticeHandler,
  GetPostReactionsSinceHandler,
  ModeratePostHandler,
  ModerateThreadHandler,
} from './application/moderation.handlers';
import {
  DeletePostHandler,
  EditPostHandler,
  ReactToPostHandler,
  ReplyToThreadHandler,
  ReportPostHandler,
  StartThreadHandler,
} from './application/posting.handlers';
import { MarkBoardReadHandler, MarkThreadReadHandler, RecordForumVisitHandler, WatchBoardHandler, WatchThreadHandler } from './application/reading.handlers';
import { SearchForumHandler, SuggestMentionsHandler } from './application/search.handlers';
import { SeedDemoForumHandler } from './application/seed-demo-forum.handler';
import {
  GetForumImageAccessHandler,
  GetThreadHandler,
  ListNewThreadsHandler,
  ListPostRevisionsHandler,
  ListSitePinnedThreadsHandler,
  ListThreadsHandler,
  ListUnreadThreadsHandler,
  LocatePostHandler,
} from './application/threads.queries';

/**
 * Networking: the forum (boards, threads, posts, reactions, reading state, watching, search) and chat (channels,
 * direct messages, group chats, read state). ChatFanout is exported for the chat gateway, which attaches its sockets.
 */
@Module({
  imports: [CqrsModule, ImagesModule],
  providers: [
    ForumStore,
    CreateBoardHandler,
    UpdateBoardHandler,
    ArchiveBoardHandler,
    MoveBoardHandler,
    ListBoardsHandler,
    GetBoardHandler,
    ListThreadsHandler,
    GetThreadHandler,
    LocatePostHandler,
    ListUnreadThreadsHandler,
    ListNewThreadsHandler,
    ListPostRevisionsHandler,
    ListSitePinnedThreadsHandler,
    GetForumImageAccessHandler,
    StartThreadHandler,
    ReplyToThreadHandler,
    EditPostHandler,
    DeletePostHandler,
    ReactToPostHandler,
    ReportPostHandler,
    RecordForumVisitHandler,
    MarkThreadReadHandler,
    MarkBoardReadHandler,
    WatchThreadHandler,
    WatchBoardHandler,
    SearchForumHandler,
    SuggestMentionsHandler,
    ModerateThreadHandler,
    ModeratePostHandler,
    ApplyModerationOnDecidedHandler,
    GetPostNoticeHandler,
    GetPostReactionsSinceHandler,
    SeedDemoForumHandler,
    ChatFanout,
    ChatStore,
    ListConversationsHandler,
    GetChatUnreadTotalHandler,
    ListChatSubscriptionsHandler,
    ListChannelsHandler,
    ListGroupsHandler,
    GetConversationHandler,
    GetConversationAccessHandler,
    MarkConversationReadHandler,
    CreateChannelHandler,
    UpdateChannelHandler,
    ArchiveChannelHandler,
    JoinChannelHandler,
    LeaveConversationHandler,
    OpenDirectConversationHandler,
    CanMessageMemberHandler,
    BlockMemberHandler,
    SetDmPolicyHandler,
    GetChatSettingsHandler,
    CreateGroupHandler,
    UpdateGroupHandler,
    InviteToGroupHandler,
    RespondToGroupInvitationHandler,
    RequestToJoinGroupHandler,
    DecideJoinRequestHandler,
    RemoveGroupMemberHandler,
    TransferGroupOwnershipHandler,
    SendMessageHandler,
    EditMessageHandler,
    DeleteMessageHandler,
    ListMessagesHandler,
    SearchConversationHandler,
    GetChatImageAccessHandler,
    HideMessageHandler,
    ReportMessageHandler,
    ApplyChatModerationOnDecidedHandler,
    GetChatMessageNoticeHandler,
    GetChatPresenceHandler,
    SeedDemoChatHandler,
    GetForumPersonalDataHandler,
    GetChatPersonalDataHandler,
  ],
  exports: [ChatFanout],
})
export class NetworkingModule implements OnModuleInit {
  constructor(private readonly personalData: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.personalData.register(
      { key: 'forum', query: (memberId) => new GetForumPersonalDataQuery(memberId) },
      { key: 'chat', query: (memberId) => new GetChatPersonalDataQuery(memberId) },
    );
  }
}
