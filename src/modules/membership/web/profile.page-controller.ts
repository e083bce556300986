import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FileInterceptor } from '@nestjs/platform-express';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { DEFAULT_IMAGE_LIMITS, IMAGE_CACHE_CONTROL, ImagePurposes, ImageService, sendImage } from '@libs/images';
import { Access } from '@libs/security/access.decorator';
import type { Viewer } from '@libs/security/access-policy';
import { flash } from '@libs/web/form-state';
import { FormPage } from '@libs/web/form-return';
import {
  GetMemberProfileQuery,
  GetProfileForEditQuery,
  GetProfilePhotoQuery,
  PRIVACY_GROUP_NAMES,
  PRIVACY_LEVEL_NAMES,
  PROFILE_PHOTO_VARIANTS,
  profilePhotoPath,
  SetProfilePhotoCommand,
  UpdateBasicInfoCommand,
  UpdateCareerCommand,
  UpdatePrivacyCommand,
  UpdateSkillsAndInterestsCommand,
} from '../contracts';
import { BasicInfoRequest, CareerRequest, PrivacyRequest, SkillsRequest } from './profile.request';
import { auditRestrictedView } from './restricted-view-audit';

/** The image pipeline's limit (10 MB: a phone camera's JPEG fits; what is stored is re-encoded and much smaller). */
export const PHOTO_UPLOAD_LIMIT = DEFAULT_IMAGE_LIMITS.maxBytes;
/** Bytes multer accepts at all; between the two the member gets the image-size message on the field. */
const PHOTO_HARD_CAP = PHOTO_UPLOAD_LIMIT + 2 * 1024 * 1024;
const CAREER_ROWS = 5;
const QUALIFICATION_ROWS = 4;

function padRows<T>(rows: T[], min: number, blank: T): T[] {
  return [...rows, ...Array.from({ length: Math.max(1, min - rows.length) }, () => ({ ...blank }))];
}

/** Profiles: view one (filtered by the owner's privacy choices) and edit one's own. */
@ApiExcludeController()
@Controller()
export class ProfilePageController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly images: ImageService,
  ) {}

  @Get('profile')
  @Access('member')
  own(@Req() req: Request, @Res() res: Response): void {
    res.redirect(303, `/members/${(req.user as Viewer).memberId}`);
  }

  @Get('members/:id')
  @Access('member')
  @Render('membership/profile')
  async profile(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request) {
    const viewer = req.user as Viewer;
    const profile = await this.queries.execute(new GetMemberProfileQuery(viewer, id));
    await auditRestrictedView(this.commands, req, profile, 'profile');
    return { title: `${profile.familyName} ${profile.givenName}`, titleIsText: true, profile };
  }

  /** The current photo's address (it changes with every new photo); `?size=` picks a variant, 480 by default. */
  @Get('members/:id/photo')
  @Access('member')
  async photo(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const photo = await this.queries.execute(new GetProfilePhotoQuery(req.user as Viewer, id));
    const size = PROFILE_PHOTO_VARIANTS.find((v) => v === req.query.size) ?? '480';
    res.setHeader('Cache-Control', 'private, no-cache');
    if (!photo) {
      res.status(404).end();
      return;
    }
    res.redirect(303, profilePhotoPath(id, photo.imageId, size));
  }

  /**
   * One variant of a member's photo, to whoever may see the member's profile. The address names the image, so it
   * never changes content: the viewer's browser (never a shared cache) may keep it for a day.
   */
  @Get('members/:id/photo/:imageId/:variant')
  @Access('member')
  async photoVariant(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Param('imageId') imageId: string,
    @Param('variant') variant: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const photo = await this.queries.execute(new GetProfilePhotoQuery(req.user as Viewer, id));
    const image = photo && photo.imageId === imageId ? await this.images.open(ImagePurposes.profilePhoto, imageId, variant) : null;
    if (!image) {
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(404).end();
      return;
    }
    sendImage(res, image, IMAGE_CACHE_CONTROL.members);
  }

  @Get('profile/edit')
  @Access('member')
  @Render('membership/profile-edit')
  async edit(@Req() req: Request) {
    const p = await this.queries.execute(new GetProfileForEditQuery((req.user as Viewer).memberId));
    return {
      title: 'membership.profileEdit.title',
      p,
      careerRows: padRows(p.careerAtCompany, CAREER_ROWS, { department: '', position: '', from: '', to: null }),
      qualificationRows: padRows(p.qualifications, QUALIFICATION_ROWS, { name: '', year: null }),
      privacyGroups: PRIVACY_GROUP_NAMES.map((group) => ({ group, level: p.privacy[group] })),
      privacyLevels: PRIVACY_LEVEL_NAMES,
      photoLimitMb: PHOTO_UPLOAD_LIMIT / 1024 / 1024,
    };
  }

  @Post('profile/basic')
  @FormPage('/profile/edit')
  @Access('member')
  async saveBasic(@Body() body: BasicInfoRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UpdateBasicInfoCommand((req.user as Viewer).memberId, body));
    this.saved(req, res, 'basic');
  }

  @Post('profile/career')
  @FormPage('/profile/edit')
  @Access('member')
  async saveCareer(@Body() body: CareerRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(
      new UpdateCareerCommand((req.user as Viewer).memberId, {
        careerAtCompany: body.career.map((c) => ({ department: c.department, position: c.position, from: c.from, to: c.to ?? null })),
        currentCompany: body.currentCompany,
        currentIndustry: body.currentIndustry,
        currentPosition: body.currentPosition,
      }),
    );
    this.saved(req, res, 'career');
  }

  @Post('profile/skills')
  @FormPage('/profile/edit')
  @Access('member')
  async saveSkills(@Body() body: SkillsRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(
      new UpdateSkillsAndInterestsCommand((req.user as Viewer).memberId, {
        skills: body.skills,
        qualifications: body.qualifications.map((q) => ({ name: q.name, year: q.year ?? null })),
        interests: { business: body.interestsBusiness, hobby: body.interestsHobby, volunteer: body.interestsVolunteer },
        bio: body.bio ?? null,
        openToComeback: body.openToComeback,
        openToOffers: body.openToOffers,
        openToSideWork: body.openToSideWork,
      }),
    );
    this.saved(req, res, 'skills');
  }

  @Post('profile/privacy')
  @FormPage('/profile/edit')
  @Access('member')
  async savePrivacy(@Body() body: PrivacyRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new UpdatePrivacyCommand((req.user as Viewer).memberId, { ...body }));
    this.saved(req, res, 'privacy');
  }

  @Post('profile/photo')
  @FormPage('/profile/edit')
  @Access('member')
  @UseInterceptors(FileInterceptor('photo', { limits: { fileSize: PHOTO_HARD_CAP, files: 1, fields: 5 } }))
  async savePhoto(@UploadedFile() file: { buffer: Buffer } | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SetProfilePhotoCommand((req.user as Viewer).memberId, file?.buffer ?? Buffer.alloc(0)));
    this.saved(req, res, 'photo');
  }

  @Post('profile/photo/delete')
  @FormPage('/profile/edit')
  @Access('member')
  async deletePhoto(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.commands.execute(new SetProfilePhotoCommand((req.user as Viewer).memberId, null));
    this.saved(req, res, 'photo');
  }

  private saved(req: Request, res: Response, section: string): void {
    flash(req, 'success', 'membership.profileEdit.saved');
    res.redirect(303, `/profile/edit#${section}`);
  }
}
