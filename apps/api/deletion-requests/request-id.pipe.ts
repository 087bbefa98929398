import { isRequestId } from '#app/domain';
import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** `request_id` in the path: a positive integer, kept as a string (it is a bigint). */
@Injectable()
export class RequestIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isRequestId(value)) {
      throw new BadRequestException(`request_id must be a positive whole number (got ${JSON.stringify(value)})`);
    }
    return value;
  }
}
