import { Injectable } from '@nestjs/common';
import { AccessPolicy, type AccessLevel, type Viewer } from '@libs/security/access-policy';

export interface NavItem {
  href: string;
  /** Message key of the label. */
  label: string;
  access: AccessLevel;
  order: number;
}

/** The main navigation: each module adds its entries at start-up; a viewer sees the ones they may open. */
@Injectable()
export class NavRegistry {
  private readonly items: NavItem[] = [];

  register(...items: NavItem[]): void {
    for (const item of items) if (!this.items.some((i) => i.href === item.href)) this.items.push(item);
    this.items.sort((a, b) => a.order - b.order);
  }

  for(viewer: Viewer | null, currentPath: string) {
    return this.items
      .filter((i) => AccessPolicy.meets(viewer, i.access))
      .map((i) => ({ ...i, active: i.href === '/' ? currentPath === '/' : currentPath.startsWith(i.href) }));
  }
}
