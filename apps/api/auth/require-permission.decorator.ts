import type { Permission } from '#app/domain';
import { Reflector } from '@nestjs/core';

/** Marks a route as needing a credential for its `:siteId` with this permission. */
export const RequirePermission = Reflector.createDecorator<Permission>();
