import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ImagesModule } from '@libs/images/images.module';
import { ArchiveBoardHandler, CreateBoardHandler, GetBoardHandler, ListBoardsHandler, MoveBoardHandler, UpdateBoardHandler } from './application/boards.handlers';
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

/** Networking, first half: the forum (boards, threads, posts, reactions, reading state, watching, search). */
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
  ],
})
export class NetworkingModule {}
