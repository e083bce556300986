import { Global, Injectable, Module } from '@nestjs/common';

/**
 * One module's part of a member's personal-data export: what it holds about the member (what they wrote, gave,
 * chose), gathered by a query from the module's contracts. The export (Privacy) runs every registered section through
 * the QueryBus and files each answer under its key, so it never knows the modules' tables.
 */
export interface PersonalDataSection {
  /** The section's name in the exported document (e.g. `forum`, `content`). */
  key: string;
  /** The query from the module's contracts, for one member; its answer must be plain JSON-able data. */
  query: (memberId: string) => object;
}

/** The registered sections; modules register theirs when they start (`onModuleInit`), in the web and the worker. */
@Injectable()
export class PersonalDataRegistry {
  private readonly sections: PersonalDataSection[] = [];

  /** Registers sections; a key is registered once (the first registration stays). */
  register(...sections: PersonalDataSection[]): void {
    for (const section of sections) if (!this.sections.some((s) => s.key === section.key)) this.sections.push(section);
    this.sections.sort((a, b) => a.key.localeCompare(b.key));
  }

  all(): readonly PersonalDataSection[] {
    return this.sections;
  }
}

/** Provides the one registry to every module of the process. */
@Global()
@Module({ providers: [PersonalDataRegistry], exports: [PersonalDataRegistry] })
export class PersonalDataModule {}
