import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** `request_id` in the path: a positive integer, kept as a string (it is a bigint). */
@Injectable()
export class RequestIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,18}$/.test(value) || BigInt(value) > 9223372036854775807n) {
      throw new BadRequestException(`request_id must be a positive whole number (got ${JSON.stringify(value)})`);
    }
    return value;
  }
}
