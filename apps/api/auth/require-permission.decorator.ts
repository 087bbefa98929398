import { Reflector } from '@nestjs/core';
import type { Permission } from './permission.js';

/** Marks a route as needing a credential for its `:siteId` with this permission. */
export const RequirePermission = Reflector.createDecorator<Permission>();
