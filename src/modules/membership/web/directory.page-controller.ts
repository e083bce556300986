import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { pageLinks } from '@libs/web/pagination';
import { DIRECTORY_SORTS, GetDirectoryFacetsQuery, OPEN_TO_FLAGS, SearchDirectoryQuery } from '../contracts';
import { DirectoryRequest } from './directory.request';

/** 会員検索: find people by name (kanji, kana, romaji), skills, career, interests and more. */
@ApiExcludeController()
@Controller('members')
export class DirectoryPageController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Access('member')
  @Render('membership/directory')
  async directory(@Query() query: DirectoryRequest, @Req() req: Request) {
    const viewer = req.user as Viewer;
    const { page, ...filter } = query;
    const [result, facets] = await Promise.all([
      this.queries.execute(new SearchDirectoryQuery(viewer, filter, page ?? 1)),
      this.queries.execute(new GetDirectoryFacetsQuery(viewer)),
    ]);
    const linkQuery = {
      q: filter.q,
      status: filter.status,
      department: filter.department,
      leftYear: filter.leftYear?.toString(),
      skill: filter.skill,
      interest: filter.interest,
      location: filter.location,
      openTo: filter.openTo,
      sort: filter.sort,
    };
    return {
      title: 'membership.directory.title',
      query: filter,
      result,
      facets,
      sorts: DIRECTORY_SORTS,
      openToFlags: OPEN_TO_FLAGS,
      searched: Object.values(linkQuery).some((v) => (Array.isArray(v) ? v.length > 0 : !!v)),
      pager: pageLinks('/members', linkQuery, result.page, result.pages),
    };
  }
}
