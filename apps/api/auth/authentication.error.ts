import { HttpException, HttpStatus } from '@nestjs/common';

/** 401 with the `WWW-Authenticate` challenge for both schemes the API accepts. */
export class AuthenticationError extends HttpException {
  constructor(message: string) {
    super({ statusCode: HttpStatus.UNAUTHORIZED, error: 'Unauthorized', message }, HttpStatus.UNAUTHORIZED);
  }

  static readonly challenge = 'Bearer realm="personal-data-deletion", OAuth realm="personal-data-deletion"';

  /** Sent with the 401 by the exception filter. */
  readonly headers = { 'WWW-Authenticate': AuthenticationError.challenge };
}
