import { isRequestId } from '#app/domain';
import { BadRequestException, Injectable, PipeTransform, type ArgumentMetadata } from '@nestjs/common';

/** A webhook or delivery id in the path: a positive integer kept as a string, like a request id. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isRequestId(value)) {
      const name = metadata.data === 'deliveryId' ? 'delivery_id' : 'webhook_id';
      throw new BadRequestException(`${name} must be a positive whole number (got ${JSON.stringify(value)})`);
    }
    return value;
  }
}
