import { applyDecorators, Controller } from '@nestjs/common';
import { ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';

/**
 * A controller of an account's routes, `api/account/:siteId/personal-data-deletion/<path>` (docs/ARCHITECTURE.md,
 * "Routes"), documented with its OpenAPI tag, both credential schemes and the site id parameter.
 */
export function AccountController(tag: string, path: string): ClassDecorator {
  // Listed bottom-up, the order in which stacked class decorators apply, so the OpenAPI document is unchanged.
  return applyDecorators(
    Controller(`api/account/:siteId/personal-data-deletion/${path}`),
    ApiParam({ name: 'siteId', description: 'The account (site) id.', example: '20762324' }),
    ApiSecurity('oauth1'),
    ApiSecurity('bearer'),
    ApiTags(tag),
  );
}
